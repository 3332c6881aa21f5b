"""StartPipeline: an S3 ``Object Created`` event (via EventBridge) -> one training run;
a retraining request (``source: mlops.retraining``) -> one run on the model's latest accepted
data version; a monitoring alarm's ``CloudWatch Alarm State Change`` to ALARM -> a retraining
request of the alarm's model, unless the model's cooldown holds it back (mlops_core.alarm_retraining).

Parses the event, asks mlops_core.upload_routing (or mlops_core.retraining) what to do, and
starts the state machine execution with a deterministic name, so a redelivered event never
starts a second run. Events that are not this stack's uploads (another bucket or account, not
S3's, outside datasets/: only a direct invocation can bring them) are ignored with the reason,
and keys the pipeline cannot carry are rejected (mlops_core.upload_screening).

Environment: STATE_MACHINE_ARN, SETTINGS_PARAMETER_PREFIX (``/<stack>/models/``),
ARTIFACTS_BUCKET, DATA_BUCKET, POLL_SECONDS (default 30).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import S3EventBridgeNotificationEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from mlops_core.alarm_retraining import (
    AlarmStateChange, claim_cooldown, cooldown_record_key, is_alarm_event, retraining_reason, screen_alarm,
)
from mlops_core.execution_input import accepted_data_key
from mlops_core.naming import execution_arn
from mlops_core.retraining import RetrainingRequest, is_retraining_request, plan_retraining
from mlops_core.settings_documents import settings_documents
from mlops_core.upload_routing import IGNORE, UploadPlan, plan_upload
from mlops_core.upload_screening import foreign_event_problem, key_problem, unsupported_key_plan
from mlops_core.uploads import NULL_VERSION, UploadedObject

# The POWERTOOLS_* variables win when set; the defaults keep logs and metrics labelled anyway.
SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "start-pipeline")
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "ServerlessMlops"), service=SERVICE)

# Enough to name the configured models in a rejection; more would only lengthen the message.
_MAX_MODEL_PAGES = 5


@cache
def _ssm() -> Any:
    # Created lazily (and once per warm container) so tests can mock AWS before first use.
    return boto3.client("ssm")


@cache
def _sfn() -> Any:
    return boto3.client("stepfunctions")


@cache
def _s3() -> Any:
    return boto3.client("s3")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # One function starts both kinds of run, so both are named and deduplicated one way.
    if is_alarm_event(event):
        return _alarm(AlarmStateChange.from_event(event), context)
    if is_retraining_request(event):
        return _retrain(RetrainingRequest.from_event(event))
    # The account is the function's own: it is part of the ARN it was invoked by.
    problem = foreign_event_problem(event, data_bucket=os.environ["DATA_BUCKET"],
                                    account=context.invoked_function_arn.split(":")[4])
    if problem:
        logger.warning("Event ignored", extra={"reason": problem, "source": event.get("source"),
                                               "account": event.get("account")})
        metrics.add_metric(name="ForeignEventIgnored", unit=MetricUnit.Count, value=1)
        return {"status": "ignored", "model": None, "execution_name": None, "execution_arn": None,
                "rejection": None, "reason": problem}
    return _upload(S3EventBridgeNotificationEvent(event))


def _upload(event: S3EventBridgeNotificationEvent) -> dict[str, Any]:
    upload = _uploaded_object(event)
    logger.append_keys(bucket=upload.bucket, key=upload.key, version_id=upload.version_id)
    cause = None if upload.key.endswith("/") else key_problem(upload.key)
    if cause:
        return _start(unsupported_key_plan(upload, cause))
    prefix = os.environ["SETTINGS_PARAMETER_PREFIX"]
    plan = plan_upload(
        upload,
        read_settings=lambda model: _read_settings(prefix, model),
        list_models=lambda: _list_models(prefix),
        artifacts_bucket=os.environ["ARTIFACTS_BUCKET"],
        poll_seconds=int(os.environ.get("POLL_SECONDS", "30")),
    )
    if plan.action == IGNORE:
        logger.info("Upload ignored", extra={"reason": plan.reason})
        metrics.add_metric(name="UploadIgnored", unit=MetricUnit.Count, value=1)
        return _result("ignored", plan, None, None)
    return _start(plan)


def _retrain(request: RetrainingRequest) -> dict[str, Any]:
    logger.append_keys(model=request.model, episode=request.episode)
    plan = _retraining_plan(request)
    if plan.action == IGNORE:
        return _retraining_ignored(plan)
    return _start(plan)


def _retraining_plan(request: RetrainingRequest) -> UploadPlan:
    prefix = os.environ["SETTINGS_PARAMETER_PREFIX"]
    return plan_retraining(
        request,
        read_settings=lambda model: _read_settings(prefix, model),
        read_accepted=_read_accepted,
        artifacts_bucket=os.environ["ARTIFACTS_BUCKET"],
        poll_seconds=int(os.environ.get("POLL_SECONDS", "30")),
    )


def _retraining_ignored(plan: UploadPlan) -> dict[str, Any]:
    logger.warning("Retraining request ignored", extra={"reason": plan.reason})
    metrics.add_metric(name="RetrainingIgnored", unit=MetricUnit.Count, value=1)
    return _result("ignored", plan, None, None)


def _alarm(change: AlarmStateChange, context: LambdaContext) -> dict[str, Any]:
    """A drift or model-quality alarm in ALARM -> a retraining request of its model, once per
    episode and not within the model's cooldown of the previous alarm-started retraining."""
    logger.append_keys(alarm=change.alarm_name, episode=change.episode)
    _, _, _, region, account, *_ = context.invoked_function_arn.split(":")
    target = screen_alarm(change, account=account, region=region,
                          settings=_all_settings(os.environ["SETTINGS_PARAMETER_PREFIX"]))
    if isinstance(target, str):
        return _retraining_ignored(UploadPlan(IGNORE, None, target))
    plan = _retraining_plan(RetrainingRequest(model=target.model, episode=change.episode,
                                              reason=retraining_reason(change, target)))
    if plan.action == IGNORE:
        return _retraining_ignored(plan)
    held_back = claim_cooldown(
        change, target, execution_name=plan.execution_name,
        recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        read_record=lambda: _read_cooldown(target.model),
        write_record=lambda record, etag: _write_cooldown(target.model, record, etag))
    if held_back:
        return _retraining_ignored(UploadPlan(IGNORE, target.model, held_back))
    return _start(plan)


def _all_settings(prefix: str) -> list[dict[str, Any]]:
    """Every model's settings document (an alarm names an endpoint, not a model); one that is
    not JSON is logged and left out, so it cannot hide the others' alarms."""
    def invalid(name: str) -> None:
        logger.warning("Settings parameter is not JSON: skipped", extra={"parameter": name})
    return list(settings_documents(_ssm(), prefix, on_invalid=invalid).values())


def _read_cooldown(model: str) -> tuple[dict[str, Any], str] | None:
    try:
        response = _s3().get_object(Bucket=os.environ["ARTIFACTS_BUCKET"], Key=cooldown_record_key(model))
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return None
        raise
    return json.loads(response["Body"].read()), response["ETag"]


def _write_cooldown(model: str, record: dict[str, Any], etag: str | None) -> bool:
    """Create the record (If-None-Match: *) or replace the version read (If-Match): False when
    another delivery wrote it first (S3 answers 412, 409 while a write is in flight, or 404
    when the version read is gone)."""
    condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
    try:
        _s3().put_object(Bucket=os.environ["ARTIFACTS_BUCKET"], Key=cooldown_record_key(model),
                         Body=json.dumps(record).encode("utf-8"), ContentType="application/json", **condition)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey"):
            return False
        raise
    return True


def _read_accepted(model: str) -> dict[str, Any] | None:
    """The model's latest accepted data record (written by the pipeline), or None if none yet."""
    try:
        response = _s3().get_object(Bucket=os.environ["ARTIFACTS_BUCKET"], Key=accepted_data_key(model))
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return None
        raise
    return json.loads(response["Body"].read())


def _uploaded_object(event: S3EventBridgeNotificationEvent) -> UploadedObject:
    detail = event.detail
    obj = detail.object
    # Object keys in S3 event notifications are URL-encoded, form style ('my file+1.csv' arrives
    # as 'my+file%2B1.csv'); AWS documents that for SQS/SNS/Lambda notifications and not either
    # way for EventBridge, where Powertools' data class decodes the key with unquote_plus. We
    # follow Powertools: GetObject needs the real key. Keys without '+' or '%' (the usual
    # case, the demo's) read the same either way.
    raw = obj.raw_event
    return UploadedObject(
        bucket=detail.bucket.name,
        key=obj.key,
        # A bucket without versioning sends no version id; S3 calls that version "null".
        version_id=raw.get("version-id") or NULL_VERSION,
        etag=raw.get("etag") or "",
        size=obj.size,
    )


def _read_settings(prefix: str, model: str) -> dict[str, Any] | None:
    """The model's settings JSON from SSM, or None if no such parameter exists.

    boto3 rather than Powertools' parameters utility: that one turns every failure (also
    AccessDenied or throttling) into one GetParameterError, and a permission problem must not
    be reported to the user as an unknown model.
    """
    try:
        response = _ssm().get_parameter(Name=_parameter_name(prefix, model))
    except ClientError as error:
        # ValidationException: the folder name cannot even be a parameter name (spaces, ...).
        if error.response["Error"]["Code"] in ("ParameterNotFound", "ValidationException"):
            return None
        raise
    return json.loads(response["Parameter"]["Value"])


def _list_models(prefix: str) -> list[str] | None:
    """Configured model names, for the rejection message only: best effort, None on failure."""
    path = prefix.rstrip("/") or "/"
    try:
        pages = _ssm().get_paginator("get_parameters_by_path").paginate(Path=path, Recursive=False)
        names = []
        for number, page in enumerate(pages):
            names += [parameter["Name"].rsplit("/", 1)[-1] for parameter in page["Parameters"]]
            if number + 1 >= _MAX_MODEL_PAGES:
                break
        return names
    except ClientError:
        logger.warning("Could not list the configured models", exc_info=True)
        return None


def _start(plan: UploadPlan) -> dict[str, Any]:
    state_machine_arn = os.environ["STATE_MACHINE_ARN"]
    name = plan.execution_name
    try:
        # Standard workflows answer a repeat of a *running* execution (same name and input)
        # with success and the same ARN: still one run, so that also counts as "started".
        response = _sfn().start_execution(
            stateMachineArn=state_machine_arn, name=name, input=json.dumps(plan.execution_input)
        )
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
        logger.info("Duplicate delivery: the run for this upload already exists", extra={"execution_name": name})
        metrics.add_metric(name="DuplicateDelivery", unit=MetricUnit.Count, value=1)
        return _result("duplicate", plan, name, execution_arn(state_machine_arn, name))

    if plan.rejection:
        logger.warning("Upload rejected", extra={"rejection": plan.rejection, "reason": plan.reason})
        metrics.add_metric(name="UploadRejected", unit=MetricUnit.Count, value=1)
    else:
        logger.info("Run started", extra={"execution_name": name, "reason": plan.reason})
        metrics.add_metric(name="RunStarted", unit=MetricUnit.Count, value=1)
    return _result("started", plan, name, response["executionArn"])


def _parameter_name(prefix: str, model: str) -> str:
    return f"{prefix.rstrip('/')}/{model}"


def _result(status: str, plan: UploadPlan, name: str | None, arn: str | None) -> dict[str, Any]:
    """What this invocation did, for the caller and the logs (status: started|duplicate|ignored)."""
    return {"status": status, "model": plan.model, "execution_name": name, "execution_arn": arn,
            "rejection": plan.rejection, "reason": plan.reason}
