"""MonitorEndpoint: the scheduled (or on-demand) drift / model-quality check of a model's endpoint.

Input: `{"model", "check": "data-quality"|"model-quality", "end_time"?, "window_minutes"?}`
(docs/contracts.md "Monitoring"), or a finished monitoring Processing job to publish: the
`SageMaker Processing Job State Change` event, or `{"processing_job": <name>}`. Reads the
model's settings from SSM, runs mlops_core.monitoring.run_monitor and returns its result;
a check that cannot run raises (EndpointNotFound, MissingBaseline, ...) naming the problem.

With `monitoring.engine: "model-monitor"` the drift check is SageMaker's schedule: a data-quality
request is refused, and the state change of a finished execution of one of this stack's Model
Monitor schedules (its detail carries MonitoringScheduleArn) puts its drifted_feature_share
(mlops_core.monitoring.model_monitor_execution); executions of other schedules are ignored.

Environment: SETTINGS_PARAMETER_PREFIX, ARTIFACTS_BUCKET, DATA_BUCKET; for large windows
MONITOR_JOB_ROLE_ARN, MONITOR_JOB_IMAGE_URI, MONITOR_JOB_CODE_URI (the job archive object),
MONITOR_JOB_KMS_KEY_ARN?, MONITOR_JOB_VPC_CONFIG? (JSON {"SecurityGroupIds", "Subnets"}).
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from mlops_core.model_monitor_schedule import MODEL_MONITOR
from mlops_core.monitoring import (
    Buckets,
    Clients,
    Execution,
    InvalidRequest,
    MonitoringError,
    foreign_reason,
    is_execution_event,
    publish_execution,
    publish_job_result,
    run_monitor,
)
from mlops_core.monitoring.processing_job import JobEnvironment
from mlops_core.naming import DATA_QUALITY_CHECK, data_quality_schedule_name
from mlops_core.settings_documents import settings_documents

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "monitor-endpoint")
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "ServerlessMlops"), service=SERVICE)
JOB_EVENT = "SageMaker Processing Job State Change"


@cache
def _clients() -> Clients:
    return Clients(boto3.client("s3"), boto3.client("sagemaker"), boto3.client("cloudwatch"))


@cache
def _ssm() -> Any:
    return boto3.client("ssm")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if is_execution_event(event):
        # The function's own account and region: its ARN names the account, Lambda sets AWS_REGION.
        result = _publish_execution(Execution.from_detail(event["detail"]),
                                    account=context.invoked_function_arn.split(":")[4], region=os.environ["AWS_REGION"])
    elif job := _finished_job(event):
        result = publish_job_result(job, clients=_clients())
    else:
        model = event.get("model") if isinstance(event, dict) else None
        logger.append_keys(model=model, check=event.get("check") if isinstance(event, dict) else None)
        settings = _settings(model)
        _refuse_managed_check(event, settings)
        result = run_monitor(event, settings, clients=_clients(), buckets=_buckets(), jobs=_jobs())
    logger.info("Monitor result", extra={"result": {k: result.get(k) for k in ("status", "records", "drifted",
                                                                             "unparseable", "report")}})
    # MonitorOk, MonitorDrift, MonitorNoData, MonitorDegraded, MonitorProcessing, MonitorFailed, MonitorIgnored
    metrics.add_metric(name="Monitor" + result["status"].title().replace("-", ""), unit=MetricUnit.Count, value=1)
    return result


def _publish_execution(execution: Execution, *, account: str, region: str) -> dict[str, Any]:
    logger.append_keys(processing_job=execution.job_name, monitoring_schedule=execution.schedule)
    schedules = _model_monitor_schedules()
    reason = foreign_reason(execution, account=account, region=region, schedules=schedules)
    if reason:
        logger.info("Monitoring execution ignored", extra={"reason": reason})
        return {"status": "ignored", "reason": reason, "processing_job": execution.job_name}
    clients = _clients()
    result = publish_execution(execution, schedules[execution.schedule.lower()], s3=clients.s3,
                               cloudwatch=clients.cloudwatch)
    if result["status"] == "failed":
        logger.warning("Model Monitor execution failed: nothing published", extra={"reason": result["reason"]})
    return result


def _model_monitor_schedules() -> dict[str, dict[str, Any]]:
    """{lower-case schedule name: settings} of the models checked by a Model Monitor schedule
    (SageMaker shows schedule ARNs in lower case)."""
    documents = settings_documents(_ssm(), os.environ["SETTINGS_PARAMETER_PREFIX"])
    found = {}
    for settings in documents.values():
        monitoring, serving = settings.get("monitoring") or {}, settings.get("serving") or {}
        if monitoring.get("enabled") and monitoring.get("engine") == MODEL_MONITOR and serving.get("endpoint_name"):
            found[data_quality_schedule_name(serving["endpoint_name"]).lower()] = settings
    return found


def _refuse_managed_check(event: Any, settings: dict[str, Any]) -> None:
    monitoring = settings.get("monitoring") or {}
    if event.get("check") == DATA_QUALITY_CHECK and monitoring.get("engine") == MODEL_MONITOR:
        endpoint = (settings.get("serving") or {}).get("endpoint_name", "?")
        raise InvalidRequest(f"check: model {settings.get('model')!r} has monitoring.engine 'model-monitor': its "
                             f"drift is checked by the SageMaker Model Monitor schedule "
                             f"{data_quality_schedule_name(endpoint)} (aws sagemaker list-monitoring-executions), "
                             "not by this function")


def _finished_job(event: Any) -> str | None:
    if not isinstance(event, dict):
        return None
    if event.get("detail-type") == JOB_EVENT and event.get("source") == "aws.sagemaker":
        return str(event["detail"]["ProcessingJobName"])
    return event.get("processing_job")


def _settings(model: Any) -> dict[str, Any]:
    if not isinstance(model, str) or not model:
        raise MonitoringError("model: a model name is required")
    name = f"{os.environ['SETTINGS_PARAMETER_PREFIX'].rstrip('/')}/{model}"
    try:
        return json.loads(_ssm().get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as error:
        if error.response["Error"]["Code"] in ("ParameterNotFound", "ValidationException"):
            raise MonitoringError(f"UnknownModel: no settings parameter {name}: {model!r} is not a model of "
                                  "this stack") from None
        raise


def _buckets() -> Buckets:
    return Buckets(artifacts=os.environ["ARTIFACTS_BUCKET"], data=os.environ["DATA_BUCKET"])


def _jobs() -> JobEnvironment | None:
    """None when the function was given no job settings (the Lambda then refuses large windows)."""
    if not os.environ.get("MONITOR_JOB_ROLE_ARN"):
        return None
    vpc = os.environ.get("MONITOR_JOB_VPC_CONFIG")
    return JobEnvironment(role_arn=os.environ["MONITOR_JOB_ROLE_ARN"], image_uri=os.environ["MONITOR_JOB_IMAGE_URI"],
                          code_uri=os.environ["MONITOR_JOB_CODE_URI"],
                          kms_key_arn=os.environ.get("MONITOR_JOB_KMS_KEY_ARN") or None,
                          vpc_config=json.loads(vpc) if vpc else None)
