"""PrepareData: split the exact uploaded object version into train and test CSV files.

Input (from the state machine): ``{"data": {...}, "settings": {...}, "paths": {"train", "test", ...}}``.
Writes ``<paths.train>train.csv`` and ``<paths.test>test.csv`` (header row, the input's
columns) and returns ``{"train": {"uri", "rows"}, "test": {"uri", "rows"}}``. The training job
reads the whole ``paths.train`` prefix as its ``train`` channel; evaluation reads ``paths.test``.

Environment: none besides the Powertools ones.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from mlops_core.preparation import TEST_FILE, TRAIN_FILE, prepare_split
from mlops_core.s3uri import join_s3_uri, parse_s3_uri
from mlops_core.settings import DataSettings
from mlops_core.uploads import UploadedObject

# The POWERTOOLS_* variables win when set; the defaults keep logs and metrics labelled anyway.
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "prepare-data")
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "ServerlessMlops"), service=SERVICE)


@cache
def _s3() -> Any:
    # Created lazily (and once per warm container) so tests can mock AWS before first use.
    return boto3.client("s3")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    upload = UploadedObject.from_dict(event["data"])
    settings = DataSettings.from_settings(event["settings"])
    train_uri = join_s3_uri(event["paths"]["train"], TRAIN_FILE)
    test_uri = join_s3_uri(event["paths"]["test"], TEST_FILE)
    logger.append_keys(bucket=upload.bucket, key=upload.key, version_id=upload.version_id)

    # The exact version: the key may already hold a newer upload, which gets its own run.
    response = _s3().get_object(Bucket=upload.bucket, Key=upload.key, VersionId=upload.version_id)
    split = prepare_split(response["Body"].read(), settings)

    _put_csv(train_uri, split.train_csv)
    _put_csv(test_uri, split.test_csv)
    logger.info(
        "Data prepared",
        extra={"train_rows": split.train_rows, "test_rows": split.test_rows, "dropped_rows": split.dropped_rows},
    )
    metrics.add_metric(name="RowsDroppedMissingTarget", unit=MetricUnit.Count, value=split.dropped_rows)
    return {
        "train": {"uri": train_uri, "rows": split.train_rows},
        "test": {"uri": test_uri, "rows": split.test_rows},
    }


def _put_csv(uri: str, body: bytes) -> None:
    bucket, key = parse_s3_uri(uri)
    _s3().put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/csv")
