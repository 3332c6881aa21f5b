"""A model's pipeline runs as an operator sees them: the facts SageMaker Studio's Experiments
view shows per trial (data version, training metrics, test score, gate, registered version),
read from the runs themselves (Step Functions, SageMaker, the gate report in S3).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from mlops_core.s3uri import parse_s3_uri

RUN_PREFIXES = ("up", "rt")  # uploads and retraining (mlops_core.naming)


@dataclass
class RunRecord:
    run_id: str
    status: str
    started: str
    trigger: str                 # "upload" | "retraining"
    data_key: str | None
    data_version: str | None
    training_metrics: dict[str, float] = field(default_factory=dict)
    gate: dict[str, Any] | None = None
    model_package: str | None = None
    error: str | None = None
    cause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def list_runs(sfn, sagemaker, s3, *, state_machine_arn: str, model: str, limit: int) -> list[RunRecord]:
    """The newest `limit` runs of `model`, newest first."""
    names = tuple(f"{prefix}-{model}-" for prefix in RUN_PREFIXES)
    found: list[dict] = []
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=state_machine_arn):
        found += [e for e in page["executions"] if e["name"].startswith(names)]
    found.sort(key=lambda e: e["startDate"], reverse=True)
    return [_record(sfn, sagemaker, s3, e) for e in found[:limit]]


def _record(sfn, sagemaker, s3, execution: dict) -> RunRecord:
    description = sfn.describe_execution(executionArn=execution["executionArn"])
    run_input = json.loads(description.get("input") or "{}")
    output = json.loads(description["output"]) if description.get("output") else {}
    data = run_input.get("data") or {}
    return RunRecord(
        run_id=execution["name"],
        status=description["status"],
        started=execution["startDate"].strftime("%Y-%m-%d %H:%M:%S"),
        trigger="retraining" if "retraining" in run_input else "upload",
        data_key=data.get("key"),
        data_version=data.get("version_id"),
        training_metrics=_training_metrics(sagemaker, output, run_input),
        gate=_gate(s3, run_input),
        model_package=(output.get("registration") or {}).get("ModelPackageArn"),
        error=description.get("error"),
        cause=description.get("cause"),
    )


def _training_metrics(sagemaker, output: dict, run_input: dict) -> dict[str, float]:
    """FinalMetricDataList of the model's training job (the tuning winner's, when tuned)."""
    training = output.get("training")
    if training is None:
        name = (run_input.get("jobs") or {}).get("training")
        if not name:
            return {}
        try:
            training = sagemaker.describe_training_job(TrainingJobName=name)
        except ClientError:
            return {}  # the run ended before training (or tuned under another name)
    return {m["MetricName"]: m["Value"] for m in training.get("FinalMetricDataList") or []}


def _gate(s3, run_input: dict) -> dict[str, Any] | None:
    uri = (run_input.get("paths") or {}).get("gate_report")
    if not uri:
        return None
    bucket, key = parse_s3_uri(uri)
    try:
        return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except ClientError:
        return None  # no decision (yet): the run has not reached the gate
