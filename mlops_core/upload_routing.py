"""What StartPipeline does with one uploaded object: ignore it, reject it, or start a run.

The decision is pure; the two lookups it may need (the model's settings, the list of
configured models) are passed in as functions, so they are only made when needed (a folder
key costs no SSM call) and tests need no AWS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mlops_core.execution_input import (
    UNKNOWN_MODEL,
    UNSUPPORTED_FILE,
    build_execution_input,
    build_rejection_input,
)
from mlops_core.naming import DATASETS_PREFIX, model_from_key
from mlops_core.uploads import UploadedObject

IGNORE = "ignore"
START = "start"


@dataclass(frozen=True)
class UploadPlan:
    action: str  # IGNORE or START (a rejection is a START whose run fails at once)
    model: str | None
    reason: str
    execution_input: dict[str, Any] | None = None

    @property
    def execution_name(self) -> str | None:
        """The run id, which is also the Step Functions execution name."""
        return (self.execution_input or {}).get("run_id")

    @property
    def rejection(self) -> str | None:
        return (self.execution_input or {}).get("rejection", {}).get("error")


def plan_upload(
    upload: UploadedObject,
    *,
    read_settings: Callable[[str], Mapping[str, Any] | None],
    list_models: Callable[[], list[str] | None],
    artifacts_bucket: str,
    poll_seconds: int,
) -> UploadPlan:
    """Decide for one ``Object Created`` event; ``read_settings`` returns None for an unknown model."""
    key = upload.key
    if key.endswith("/"):
        # The console's "Create folder" writes an empty object named like this; not data.
        return UploadPlan(IGNORE, None, f"'{key}' is a folder marker, not a file")

    model = model_from_key(key)
    settings = read_settings(model) if model else None
    if settings is None:
        return _reject(upload, model, UNKNOWN_MODEL, _unknown_model_cause(key, model, list_models()))
    if not key.lower().endswith(".csv"):
        return _reject(upload, model, UNSUPPORTED_FILE, _unsupported_cause(key, model))

    execution_input = build_execution_input(
        upload=upload, model=model, settings=settings, artifacts_bucket=artifacts_bucket, poll_seconds=poll_seconds
    )
    return UploadPlan(START, model, f"training '{model}' on {upload.describe()}", execution_input)


def _reject(upload: UploadedObject, model: str | None, error: str, cause: str) -> UploadPlan:
    execution_input = build_rejection_input(upload=upload, model=model or "", error=error, cause=cause)
    execution_input["model"] = model  # null when the key names no model folder at all
    return UploadPlan(START, model, cause, execution_input)


def _unknown_model_cause(key: str, model: str | None, configured: list[str] | None) -> str:
    if model is None:
        first = f"The uploaded object '{key}' is not inside a model folder."
    else:
        first = f"No model named '{model}' is configured (the upload was '{key}')."
    where = f"Upload training data as CSV under {DATASETS_PREFIX}<model>/"
    if configured:
        names = sorted(configured)
        return f"{first} Configured models: {', '.join(names)}. {where}, e.g. {DATASETS_PREFIX}{names[0]}/data.csv."
    return f"{first} {where}, where <model> is a model configured in the stack."


def _unsupported_cause(key: str, model: str) -> str:
    return (
        f"Only CSV files (names ending in .csv) can start a training run; '{key}' is not one. "
        f"Export the data as CSV (UTF-8) and upload it under {DATASETS_PREFIX}{model}/."
    )
