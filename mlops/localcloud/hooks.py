"""The few places where the embedded cloud extends moto (pinned exactly: these touch internals).

- Lambda invoke runs the function's code (`LambdaRuntime`) instead of echoing the payload.
- S3 -> EventBridge sends AWS's event shape, and every matched rule delivers through
  `EventBus` (moto cannot deliver to state machines and runs no Lambda code).
- SageMaker CreateTrainingJob / CreateProcessingJob run the job (`JobScheduler`); processing
  jobs send `SageMaker Processing Job State Change` as they start and end (`job_events`).
- SageMaker model packages send `SageMaker Model Package State Change` on creation and on
  every approval change, and UpdateModelPackage keeps what it does not name (`registry_events`).
- SageMaker tuning jobs run real trials (`tuning.TuningScheduler`, patched in `tuning.api`).
- SageMaker endpoints run real fleets, with blue/green updates and alarm rollback
  (`serving.control.EndpointController`, patched in `serving.control.api`).
- State machine tasks call AWS as the state machine's role (`iam.task_credentials`), and every
  call can be recorded for the IAM check (`iam.recording`, active only with `iam_check=True`).
- Step Functions' aws-sdk integration returns timestamps as ISO strings, as AWS does (moto
  keeps boto3's datetime objects, which then break DescribeExecution).
- CloudWatch alarms are evaluated on the metrics put and announce their state changes
  (`cloudwatch`); Service Quotas answers for SageMaker's instance quotas (`quotas`).
- EventBridge Scheduler refuses bad schedule expressions and unknown groups (`scheduler.api`);
  `scheduler.ScheduleRunner` runs the schedules.
- SageMaker Model Monitor: the MonitoringSchedule API (which moto lacks) and SageMaker's answers
  for DataQualityJobDefinitions (`model_monitor.api`); `model_monitor.MonitoringScheduleRunner`
  (`cloud.monitoring`) runs each schedule's executions as Processing jobs of the analyzer image.
- PutEvents refuses `aws.` sources (NotAuthorizedForSourceException), as AWS does (`event_sources`).
- Bucket policies are evaluated with their conditions (moto ignores conditions, so a TLS-only
  `Deny` with `aws:SecureTransport: false` would deny everything).
Installed once per process; `install` points the hooks at the active cloud.
"""

from __future__ import annotations

import base64
import inspect
import json
import threading
from types import SimpleNamespace

from botocore.response import StreamingBody
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.events.models import Rule, events_backends
from moto.s3 import notifications as s3_notifications
from moto.s3.models import FakeBucket
from moto.sagemaker.models import SageMakerModelBackend
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)

from mlops.localcloud import event_sources, job_events, model_monitor, registry_events, tuning
from mlops.localcloud import cloudwatch as cloudwatch_alarms
from mlops.localcloud import quotas as service_quotas
from mlops.localcloud import scheduler as eventbridge_scheduler
from mlops.localcloud.event_shapes import s3_object_event
from mlops.localcloud.iam import recording as iam_recording
from mlops.localcloud.iam import task_credentials
from mlops.localcloud.serving import control as serving_control

_active = SimpleNamespace(runtime=None, bus=None, jobs=None)
_installed = False
_original = {}


def install(*, runtime, bus, jobs, tuner=None, endpoints=None, alarms=None, quotas=None, monitoring=None) -> None:
    global _installed
    _active.runtime, _active.bus, _active.jobs = runtime, bus, jobs
    tuning.install(tuner)
    cloudwatch_alarms.install(alarms)
    service_quotas.install(quotas)
    serving_control.install(endpoints)
    model_monitor.install(monitoring)
    registry_events.install(deliver=redeliver)
    job_events.install(deliver=redeliver)
    task_credentials.install()
    iam_recording.install()
    event_sources.install()
    eventbridge_scheduler.install(True)
    if _installed:
        return
    _original["lambda_invoke"] = LambdaSimpleBackend.invoke
    _original["create_training_job"] = SageMakerModelBackend.create_training_job
    _original["create_processing_job"] = SageMakerModelBackend.create_processing_job
    LambdaSimpleBackend.invoke = _lambda_invoke
    s3_notifications._send_event_bridge_message = _s3_to_eventbridge
    Rule.send_to_targets = _rule_send_to_targets
    SageMakerModelBackend.create_training_job = _create_training_job
    SageMakerModelBackend.create_processing_job = _create_processing_job
    FakeBucket.get_permission = _bucket_permission
    _original["aws_sdk_task"] = StateTaskServiceAwsSdk._eval_service_task
    StateTaskServiceAwsSdk._eval_service_task = _aws_sdk_task
    _installed = True


def uninstall() -> None:
    """The cloud stopped: every hook answers as plain moto again (the patches stay, inert), so
    in-process moto (`mock_aws`) later in the same process behaves as moto does."""
    _active.runtime = _active.bus = _active.jobs = None
    tuning.install(None)
    cloudwatch_alarms.install(None)
    service_quotas.install(None)
    serving_control.install(None)
    model_monitor.install(None)
    registry_events.install(deliver=None)
    job_events.install(deliver=None)
    task_credentials.deactivate()
    eventbridge_scheduler.install(False)


def _lambda_invoke(self, function_name, qualifier, body, headers, response_headers):
    fn = self.get_function(function_name, qualifier)
    runtime = _active.runtime
    if runtime is None or not runtime.knows(fn.function_name):
        return _original["lambda_invoke"](self, function_name, qualifier, body, headers, response_headers)
    event = json.loads(body) if body else {}
    lowered = {k.lower(): v for k, v in dict(headers).items()}
    if lowered.get("x-amz-invocation-type") == "Event":
        threading.Thread(target=runtime.invoke, args=(fn.function_name, event), daemon=True).start()
        return b""
    result = runtime.invoke(fn.function_name, event)
    if result.errored:
        response_headers["x-amz-function-error"] = "Unhandled"
    if lowered.get("x-amz-log-type") == "Tail":
        response_headers["x-amz-log-result"] = base64.b64encode(result.logs.encode()[-4096:]).decode()
    return json.dumps(result.payload, default=str).encode("utf-8")


def _s3_to_eventbridge(account_id, bucket, event_name, key) -> None:
    event = s3_object_event(
        account=account_id, region=bucket.region_name, bucket=bucket.name, key=key.name,
        size=key.size, etag=key.etag, version_id=key.version_id, event_name=event_name,
    )
    if event is None:
        return
    redeliver(account_id, bucket.region_name, event)


def redeliver(account_id: str, region: str, event: dict) -> None:
    """Offer `event` to every rule of the default bus, as EventBridge does on each delivery."""
    bus = events_backends[account_id][region].event_buses.get("default")
    if bus is None:
        return
    for rule in list(bus.rules.values()):
        rule.send_to_targets(event)


def _rule_send_to_targets(self, original_event, transform_input=True) -> None:
    if self.state != "ENABLED" or not self.event_pattern.matches_event(original_event):
        return
    if _active.bus is None:
        return
    _active.bus.deliver(rule_name=self.name, rule_arn=self.arn, targets=list(self.targets), event=original_event)


def _api_request(original, args, kwargs) -> dict:
    """The public API request (PascalCase) from moto's snake_case backend arguments."""
    bound = inspect.signature(original).bind(None, *args, **kwargs)
    request = {}
    for name, value in bound.arguments.items():
        if name == "self" or value is None:
            continue
        request["".join(part[:1].upper() + part[1:] for part in name.split("_"))] = value
    return request


def _create_training_job(self, *args, **kwargs):
    request = _api_request(_original["create_training_job"], args, kwargs)
    request["AlgorithmSpecification"] = json.loads(json.dumps(request["AlgorithmSpecification"]))
    # moto's job constructor overwrites MetricDefinitions; keep the caller's copy.
    request = json.loads(json.dumps(request, default=str))
    job = _original["create_training_job"](self, *args, **kwargs)
    if _active.jobs is not None:
        _active.jobs.training_created(job, request)
    return job


def _create_processing_job(self, *args, **kwargs):
    request = _api_request(_original["create_processing_job"], args, kwargs)
    request = json.loads(json.dumps(request, default=str))
    job = _original["create_processing_job"](self, *args, **kwargs)
    if _active.jobs is not None:
        _active.jobs.processing_created(job, request)
    return job


# Condition values every request to the embedded cloud has. Its endpoint stands in for AWS's
# TLS endpoints, so requests count as secure transport.
_REQUEST_CONTEXT = {"aws:securetransport": "true"}


def _condition_holds(condition: dict) -> bool | None:
    """Whether a policy Condition block holds for a local request; None when it cannot be known."""
    for operator, clauses in condition.items():
        if operator not in ("Bool", "StringEquals", "StringNotEquals"):
            return None
        for key, expected in clauses.items():
            actual = _REQUEST_CONTEXT.get(key.lower())
            if actual is None:
                return None
            values = [str(v).lower() for v in (expected if isinstance(expected, list) else [expected])]
            matched = actual in values
            if matched == (operator == "StringNotEquals"):
                return False
    return True


def _bucket_permission(self, action: str, resource: str):
    from moto.iam.access_control import IAMPolicy, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy.decode())
    statements = document.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    # Keep statements whose conditions hold; drop those that cannot hold or be known here
    # (evaluating IAM for real is the job of the permission checker, not of moto's S3).
    kept = [dict(st, Condition=None) for st in statements
            if "Condition" not in st or _condition_holds(st["Condition"]) is True]
    for st in kept:
        st.pop("Condition")
    return IAMPolicy(json.dumps({**document, "Statement": kept})).is_action_permitted(action, resource)


def _aws_sdk_task(self, env, *args, **kwargs):
    _original["aws_sdk_task"](self, env, *args, **kwargs)
    env.stack[-1] = _json_compatible(env.stack[-1])


def _json_compatible(value):
    """Timestamps as Step Functions renders them in aws-sdk task results."""
    import datetime

    if isinstance(value, StreamingBody):  # s3:getObject: Step Functions returns the Body as text
        return value.read().decode("utf-8", "replace")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dict):
        return {k: _json_compatible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_compatible(v) for v in value]
    return value
