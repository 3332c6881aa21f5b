"""What the stages of the deployment state machine share (JSONPath only, no `.sync`): the
deploy-time values the SageMaker requests need, the request pieces several stages make alike,
and the failure path every stage ends in.

The failure path: any task error lands in `$.failure` ({Error, Cause}); `RecordFailure` marks
the model package `DeploymentStatus: Failed` and the run ends in `DeploymentFailed`. Once the
new fleet's alarms exist, errors go through `CleanUpAlarmsAfterFailure` first (deleting them
on every path). Recording or cleaning up may fail too: that is noted beside `$.failure`, which
keeps the original cause.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

# The training pipeline's conventions, shared (and re-exported to the stages): errors caught into
# `$.failure` {Error, Cause}, Fail state name = error name, Waits of `$.poll_seconds`.
from infra.training_pipeline.common import catch_all, fail_state, failure, poll_wait  # noqa: F401

CONTENT_TYPES = {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]}
# Endpoint statuses of a deployment in flight (ours or another's): wait them out.
IN_FLIGHT = ("Creating", "Updating", "SystemUpdating", "RollingBack")
ENDPOINT = "$.endpoint"
STATUS = "$.endpoint.EndpointStatus"
ACTIVE_CONFIG = "$.endpoint.EndpointConfigName"


@dataclass(frozen=True, kw_only=True)
class ServingResources:
    """Deploy-time values the requests need (tokens are fine)."""

    role_arn: str  # the SageMaker execution role the models run as
    key_arn: str  # encrypts captured data and the instances' volumes
    capture_uri: str  # s3://<artifacts bucket>/data-capture


@dataclass(frozen=True, kw_only=True)
class Arns:
    """What the tasks may act on (scoped per model; see access.py)."""

    packages: list[str]
    models: list[str]
    endpoint_configs: list[str]
    endpoints: list[str]
    new_fleet_alarms: list[str]
    rollback_alarms: list[str]
    # Model Monitor (monitoring.engine "model-monitor" only): `<endpoint>-dq-*`, `<endpoint>-data-quality`.
    job_definitions: list[str]
    monitoring_schedules: list[str]


def sagemaker(scope: Construct, name: str, action: str, resources: list[str], parameters: dict,
              **kwargs) -> tasks.CallAwsService:
    """A request-response aws-sdk task; its result is discarded unless a result_path is given."""
    kwargs.setdefault("result_path", sfn.JsonPath.DISCARD)
    return tasks.CallAwsService(scope, name, service=kwargs.pop("service", "sagemaker"), action=action,
                                iam_resources=resources, parameters=parameters, **kwargs)


def resource_tags() -> list[dict[str, str]]:
    """Tags tracing every model, endpoint config and endpoint to its deployment and package."""
    return [
        {"Key": "mlops:model", "Value.$": "$.model"},
        {"Key": "mlops:deployment-id", "Value.$": "$.deployment_id"},
        {"Key": "mlops:model-package-arn", "Value.$": "$.model_package_arn"},
    ]


def data_capture(resources: ServingResources) -> dict:
    """Capture both directions of every sampled request, CSV and JSON as text, with the stack key."""
    return {
        "EnableCapture.$": "$.serving.data_capture.enabled",
        "InitialSamplingPercentage.$": "$.serving.data_capture.sampling_percent",
        "DestinationS3Uri": resources.capture_uri,
        "KmsKeyId": resources.key_arn,
        "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        "CaptureContentTypeHeader": CONTENT_TYPES,
    }


def describe_endpoint(scope: Construct, name: str, arns: Arns) -> tasks.CallAwsService:
    """DescribeEndpoint of the model's endpoint into `$.endpoint` (the whole answer: FailureReason
    is present only sometimes, and a ResultSelector may not name a missing field)."""
    return sagemaker(scope, name, "describeEndpoint", arns.endpoints,
                     {"EndpointName": sfn.JsonPath.string_at("$.names.endpoint")}, result_path=ENDPOINT)


def in_flight() -> sfn.Condition:
    return sfn.Condition.or_(*(sfn.Condition.string_equals(STATUS, status) for status in IN_FLIGHT))


def update_and_wait(scope: Construct, kind: str, *, arns: Arns, config_path: str, next_state: sfn.IChainable,
                    on_error: sfn.IChainable, deployment_config: str | None = None) -> sfn.IChainable:
    """UpdateEndpoint to the config at `config_path` -> Wait -> DescribeEndpoint ($.endpoint) ->
    loop while the update is in flight, then `next_state` (which judges the outcome).
    States: <kind>, WaitFor<kind>, Describe<kind>, <kind>Settled."""
    parameters = {"EndpointName": sfn.JsonPath.string_at("$.names.endpoint"),
                  "EndpointConfigName": sfn.JsonPath.string_at(config_path)}
    if deployment_config:
        parameters["DeploymentConfig"] = sfn.JsonPath.object_at(deployment_config)
    update = sagemaker(scope, kind, "updateEndpoint", arns.endpoints + arns.endpoint_configs, parameters)
    describe = describe_endpoint(scope, f"Describe{kind}", arns)
    wait = poll_wait(scope, f"WaitFor{kind}")
    for task in (update, describe):
        catch_all(task, on_error)
    settled = sfn.Choice(scope, f"{kind}Settled").when(in_flight(), wait).otherwise(next_state)
    return update.next(wait).next(describe).next(settled)
