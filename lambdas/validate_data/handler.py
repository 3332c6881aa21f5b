"""ValidateData: the exact uploaded object version against the model's data contract.

Input (from the state machine): ``{"data": {bucket, key, version_id, size, ...}, "settings":
{...}, "paths": {...}}`` and, after a SageMaker Processing job profiled a large object,
``"profile": <s3 uri of its profile.json>`` (the judging then runs here on that profile).
Output: ``{"valid", "rows", "columns", "problems", "warnings", "contract", "summary"}``
(docs/contracts.md). Writes statistics.json, constraints.json, constraint_violations.json and
summary.md under ``paths.data_quality``, and the model's contract when this is its first
accepted dataset. Bad data is a result (``valid: false``), never an exception; only AWS
failures raise, and the state machine's Catch reports them.

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

from mlops_core.settings import DataSettings
from mlops_core.uploads import UploadedObject
from mlops_core.validation_run import QualityPaths, validate_object

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
    paths = QualityPaths.from_paths(event["paths"])
    logger.append_keys(bucket=upload.bucket, key=upload.key, version_id=upload.version_id)

    report = validate_object(_s3(), upload=upload, settings=settings, paths=paths, profile_uri=event.get("profile"))

    result = report.to_dict()
    if report.valid:
        logger.info("Data is valid", extra={"summary": result["summary"], "warnings": result["warnings"]})
    else:
        logger.warning("Data is not valid", extra={"problems": result["problems"]})
    metrics.add_metric(name="DataValid" if report.valid else "DataInvalid", unit=MetricUnit.Count, value=1)
    return result
