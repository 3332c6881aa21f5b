"""The training state machine's execution input (docs/contracts.md, "Execution input").

Everything a run needs is decided here, once, from the upload: the run id, the job names and
every S3 path. The state machine only reads these fields, so a run can be replayed or
inspected from its input alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mlops_core.naming import (
    experiment_trial_name,
    run_hash,
    run_job_name,
    run_tuning_job_name,
    upload_execution_name,
)
from mlops_core.uploads import UploadedObject

UNKNOWN_MODEL = "UnknownModel"
UNSUPPORTED_FILE = "UnsupportedFile"
# Where a user puts a model's own data contract (constraints.json, optionally statistics.json)
# in the data bucket; outside datasets/, so putting it starts no run.
USER_CONTRACTS_PREFIX = "contracts/"
# The latest data version that passed validation and preparation, per model (written by the
# pipeline, read to start a retraining run without a new upload).
ACCEPTED_DATA_FILE = "latest.json"
# What the Processing job that prepares a large object reports (rows of each part, rows
# dropped), under the run's preparation output.
PREPARATION_RESULT_FILE = "result.json"


@dataclass(frozen=True)
class RunIdentity:
    """A run's execution name and the hash its job names are cut from."""

    run_id: str
    digest: str

    @classmethod
    def for_upload(cls, model: str, upload: UploadedObject) -> RunIdentity:
        return cls(upload_execution_name(model, upload.bucket, upload.key, upload.version_id),
                   run_hash(upload.bucket, upload.key, upload.version_id))


def accepted_data_key(model: str) -> str:
    """Key (in the artifacts bucket) of the model's latest accepted data version record."""
    return f"models/{model}/data/{ACCEPTED_DATA_FILE}"


def preparation_result_key(model: str, run_id: str) -> str:
    """Key (in the artifacts bucket) of the preparation job's result for one run."""
    return f"models/{model}/runs/{run_id}/preparation/{PREPARATION_RESULT_FILE}"


def build_execution_input(
    *,
    upload: UploadedObject,
    model: str,
    settings: Mapping[str, Any],
    artifacts_bucket: str,
    poll_seconds: int,
    run: RunIdentity | None = None,
) -> dict[str, Any]:
    """Input of a run that trains ``model`` on ``upload`` with the model's SSM ``settings``;
    ``run`` names it (default: after the upload; a retraining run names its own)."""
    run = run or RunIdentity.for_upload(model, upload)
    run_id = run.run_id
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
            "training": run_job_name(model, run.digest, "train"),
            "evaluation": run_job_name(model, run.digest, "eval"),
            "validation": run_job_name(model, run.digest, "validate"),  # only for objects above the size limit
            "preparation": run_job_name(model, run.digest, "prepare"),  # the same objects
            # Used when the model's settings enable tuning; the model that goes on is then
            # the tuning job's best trial (`$.training.TrainingJobName`).
            "tuning": run_tuning_job_name(model, run.digest),
        },
        "paths": {
            "train": f"{data_root}/train/",
            "test": f"{data_root}/test/",
            "training_output": f"{run_root}/training/",
            "evaluation_output": f"{run_root}/evaluation/",
            "evaluation_report": f"{run_root}/evaluation/evaluation.json",
            "gate_report": f"{run_root}/evaluation/gate.json",
            "preparation_output": f"{run_root}/preparation/",
            "preparation_result": f"s3://{artifacts_bucket}/{preparation_result_key(model, run_id)}",
            "accepted_data": f"s3://{artifacts_bucket}/{accepted_data_key(model)}",
            **data_quality_paths(model_root=model_root, data_root=data_root, data_bucket=upload.bucket, model=model),
        },
        # The same objects as Bucket/Key, for the pipeline's S3 calls.
        "objects": {
            "gate_report": {"Bucket": artifacts_bucket, "Key": f"models/{model}/runs/{run_id}/evaluation/gate.json"},
            "accepted_data": {"Bucket": artifacts_bucket, "Key": accepted_data_key(model)},
            "preparation_result": {"Bucket": artifacts_bucket, "Key": preparation_result_key(model, run_id)},
        },
        # SageMaker Experiments: one experiment per model (named like its package group), one
        # trial per run; every job of the run is a trial component of that trial.
        "lineage": _lineage(settings, model, run_id),
    }


def _lineage(settings: Mapping[str, Any], model: str, run_id: str) -> dict[str, str]:
    experiment = str(settings.get("model_package_group") or model)
    return {"experiment": experiment, "trial": experiment_trial_name(experiment, run_id)}


def data_quality_paths(*, model_root: str, data_root: str, data_bucket: str, model: str) -> dict[str, str]:
    """Where validation writes its reports (per data version, accepted or not) and where the
    model's data contract lives: established by the first accepted dataset under the model's
    artifacts prefix, or supplied by the user in the data bucket (which then wins)."""
    quality = f"{data_root}/quality/"
    return {
        "data_quality": quality,
        "data_statistics": quality + "statistics.json",
        "data_constraints": quality + "constraints.json",
        "data_violations": quality + "constraint_violations.json",
        "data_summary": quality + "summary.md",
        "data_profile": quality + "profile.json",  # what the validation job hands to ValidateData
        "data_contract": f"{model_root}/contract/",
        "user_contract": f"s3://{data_bucket}/{USER_CONTRACTS_PREFIX}{model}/",
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
