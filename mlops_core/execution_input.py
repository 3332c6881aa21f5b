"""The training state machine's execution input (docs/contracts.md, "Execution input").

Everything a run needs is decided here, once, from the upload: the run id, the job names and
every S3 path. The state machine only reads these fields, so a run can be replayed or
inspected from its input alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_core.naming import job_name, upload_execution_name
from mlops_core.uploads import UploadedObject

UNKNOWN_MODEL = "UnknownModel"
UNSUPPORTED_FILE = "UnsupportedFile"


def build_execution_input(
    *,
    upload: UploadedObject,
    model: str,
    settings: Mapping[str, Any],
    artifacts_bucket: str,
    poll_seconds: int,
) -> dict[str, Any]:
    """Input of a run that trains ``model`` on ``upload`` with the model's SSM ``settings``."""
    run_id = upload_execution_name(model, upload.bucket, upload.key, upload.version_id)
    model_root = f"s3://{artifacts_bucket}/models/{model}"
    # Splits live per data version (several runs of one version share them); outputs per run.
    data_root = f"{model_root}/data/{upload.version_id}"
    run_root = f"{model_root}/runs/{run_id}"
    return {
        "model": model,
        "run_id": run_id,
        "poll_seconds": poll_seconds,
        "data": upload.to_dict(),
        "settings": dict(settings),
        "jobs": {
            "training": _job(model, upload, "train"),
            "evaluation": _job(model, upload, "eval"),
        },
        "paths": {
            "train": f"{data_root}/train/",
            "test": f"{data_root}/test/",
            "training_output": f"{run_root}/training/",
            "evaluation_output": f"{run_root}/evaluation/",
            "evaluation_report": f"{run_root}/evaluation/evaluation.json",
        },
    }


def build_rejection_input(*, upload: UploadedObject, model: str, error: str, cause: str) -> dict[str, Any]:
    """Input of a run that fails at once in its first state with ``error`` and ``cause``.

    Starting a run that fails (instead of only logging) puts the reason where the user looks:
    the execution list of the state machine.
    """
    return {
        "model": model,
        "run_id": upload_execution_name(model, upload.bucket, upload.key, upload.version_id),
        "data": upload.to_dict(),
        "rejection": {"error": error, "cause": cause},
    }


def _job(model: str, upload: UploadedObject, suffix: str) -> str:
    return job_name(model, upload.bucket, upload.key, upload.version_id, suffix)
