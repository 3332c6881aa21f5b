"""What StartPipeline does with a retraining request: start a run of the model on its latest
accepted data version, or ignore the request and say why.

A request is the EventBridge event `{"source": "mlops.retraining", "detail-type": "Retraining
Requested", "detail": {"model", "episode", "reason"}}` (a direct invocation sends the same
JSON). The run is named `rt-<model>-<hash of model and episode>`, so one episode (one alarm
state change, one operator request) starts one run however often it is delivered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mlops_core.execution_input import RunIdentity, accepted_data_key, build_execution_input
from mlops_core.naming import retraining_execution_name, retraining_hash
from mlops_core.upload_routing import IGNORE, START, UploadPlan
from mlops_core.uploads import UploadedObject

SOURCE = "mlops.retraining"
DETAIL_TYPE = "Retraining Requested"
MAX_EPISODE_CHARS = 256


@dataclass(frozen=True)
class RetrainingRequest:
    model: str
    episode: str
    reason: str

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> RetrainingRequest:
        """Parse the event; ValueError names what is missing or wrong."""
        if event.get("source") != SOURCE:
            raise ValueError(f"not a retraining request: source is {event.get('source')!r}, not {SOURCE!r}")
        detail = event.get("detail")
        if not isinstance(detail, Mapping):
            raise ValueError("a retraining request needs a 'detail' object with 'model' and 'episode'")
        fields = {name: detail.get(name) for name in ("model", "episode")}
        missing = [name for name, value in fields.items() if not isinstance(value, str) or not value.strip()]
        if missing:
            raise ValueError(f"a retraining request needs non-empty text in detail.{' and detail.'.join(missing)}")
        if len(fields["episode"]) > MAX_EPISODE_CHARS:
            raise ValueError(f"detail.episode is longer than {MAX_EPISODE_CHARS} characters")
        return cls(model=fields["model"].strip(), episode=fields["episode"],
                   reason=str(detail.get("reason") or "retraining requested"))


def is_retraining_request(event: Mapping[str, Any]) -> bool:
    return event.get("source") == SOURCE


def plan_retraining(
    request: RetrainingRequest,
    *,
    read_settings: Callable[[str], Mapping[str, Any] | None],
    read_accepted: Callable[[str], Mapping[str, Any] | None],
    artifacts_bucket: str,
    poll_seconds: int,
) -> UploadPlan:
    """START a run on the latest accepted data, or IGNORE (unknown model, no accepted data)."""
    model = request.model
    settings = read_settings(model)
    if settings is None:
        return UploadPlan(IGNORE, model, f"no model named '{model}' is configured; nothing to retrain")
    accepted = read_accepted(model)
    if accepted is None:
        return UploadPlan(IGNORE, model, (
            f"model '{model}' has no accepted data version yet (s3://{artifacts_bucket}/"
            f"{accepted_data_key(model)} is missing): upload a dataset under datasets/{model}/ first"))
    data = UploadedObject.from_dict(accepted["data"])
    run = RunIdentity(retraining_execution_name(model, request.episode), retraining_hash(model, request.episode))
    execution_input = build_execution_input(upload=data, model=model, settings=settings,
                                            artifacts_bucket=artifacts_bucket, poll_seconds=poll_seconds, run=run)
    execution_input["retraining"] = {"episode": request.episode, "reason": request.reason,
                                     "accepted_by": accepted.get("run_id")}
    return UploadPlan(START, model, f"retraining '{model}' on {data.describe()}: {request.reason}", execution_input)
