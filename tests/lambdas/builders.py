"""Builders for the resources, events and payloads the handler tests use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"
DATA_BUCKET = "mlops-data"
ARTIFACTS_BUCKET = "mlops-artifacts"
SETTINGS_PREFIX = "/MlopsStack/models/"
PENGUINS = Path(__file__).resolve().parents[2] / "data" / "penguins.csv"

PENGUINS_SETTINGS = {
    "model": "penguins",
    "target": "species",
    "problem_type": "classification",
    "test_size": 0.2,
    "random_seed": 42,
    "model_package_group": "MlopsStack-penguins",
    "approval_status": "Approved",
    "hyperparameters": {"sagemaker_program": '"train.py"', "target": "species"},
}


def object_created_event(
    key: str, *, version_id: str | None = "v1", bucket: str = DATA_BUCKET, size: int = 1234, etag: str = "abc123"
) -> dict[str, Any]:
    """An EventBridge ``Object Created`` event as S3 sends it (AWS docs' example shape)."""
    obj: dict[str, Any] = {"key": key, "size": size, "etag": etag, "sequencer": "617f08299329d189"}
    if version_id is not None:
        obj["version-id"] = version_id
    return {
        "version": "0",
        "id": "17793124-05d4-b198-2fde-7ededc63b103",
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": ACCOUNT,
        "time": "2026-11-27T10:00:00Z",
        "region": REGION,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": obj,
            "request-id": "N4N7GDK58NMKJ12R",
            "requester": ACCOUNT,
            "source-ip-address": "1.2.3.4",
            "reason": "PutObject",
        },
    }


def data_event(data: dict[str, Any], settings: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The state machine's payload for ValidateData / PrepareData."""
    return {"data": data, "settings": settings, **extra}


def upload(s3, key: str, body: bytes) -> dict[str, Any]:
    """Put ``body`` in the data bucket; return the execution input's ``data`` for it."""
    response = s3.put_object(Bucket=DATA_BUCKET, Key=key, Body=body)
    return {
        "bucket": DATA_BUCKET,
        "key": key,
        "version_id": response["VersionId"],
        "etag": response["ETag"].strip('"'),
        "size": len(body),
    }
