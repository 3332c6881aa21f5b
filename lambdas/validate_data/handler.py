"""ValidateData: basic checks of the exact uploaded object version before any training.

Input (from the state machine): ``{"data": {bucket, key, version_id, ...}, "settings": {...}}``.
Output: ``{"valid", "rows", "columns", "problems", "summary"}`` (docs/contracts.md). Bad data
is a result (``valid: false``), never an exception; only AWS failures (the object is gone,
access denied) raise, and the state machine's Catch reports them.

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

from mlops_core.basic_validation import validate_upload
from mlops_core.settings import DataSettings
from mlops_core.uploads import UploadedObject

# The POWERTOOLS_* variables win when set; the defaults keep logs and metrics labelled anyway.
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "validate-data")
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
    logger.append_keys(bucket=upload.bucket, key=upload.key, version_id=upload.version_id)

    # GetObject's ContentLength arrives before the body, so an oversized object is refused
    # without downloading it.
    response = _s3().get_object(Bucket=upload.bucket, Key=upload.key, VersionId=upload.version_id)
    body = response["Body"]
    try:
        report = validate_upload(response["ContentLength"], body.read, settings, source=upload.describe())
    finally:
        body.close()

    result = report.to_dict()
    if report.valid:
        logger.info("Data is valid", extra={"summary": result["summary"]})
    else:
        logger.warning("Data is not valid", extra={"problems": result["problems"]})
    metrics.add_metric(name="DataValid" if report.valid else "DataInvalid", unit=MetricUnit.Count, value=1)
    return result
