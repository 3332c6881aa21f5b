"""The synthesized deployment definition, executed by moto's Step Functions against moto's
SageMaker: the paths moto can run without the embedded cloud's endpoint runtime (a first
deployment, a revoked approval, a failure recorded on the package)."""

from __future__ import annotations

import json
import time

import boto3
import pytest
from moto import mock_aws

from mlops_core.approval_event import ApprovalEvent
from mlops_core.deployment_input import build_deployment_input
from tests.mlops_core.deployment_builders import approval_event, penguins_settings

PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}
REGION = "us-east-1"


def _resolve(value) -> str:
    """The definition with deploy-time values filled in as CloudFormation would."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return PSEUDO.get(value["Ref"], "artifacts-bucket")  # the only other Ref: the artifacts bucket
    if "Fn::GetAtt" in value:
        logical_id = value["Fn::GetAtt"][0]
        if logical_id.startswith("StorageKey"):
            return f"arn:aws:kms:{REGION}:123456789012:key/0000"
        if logical_id.startswith("SageMakerExecution"):
            return f"arn:aws:iam::123456789012:role/{logical_id}"
        return f"arn:aws:lambda:{REGION}:123456789012:function:{logical_id}"
    if "Fn::Join" in value:
        delimiter, parts = value["Fn::Join"]
        return delimiter.join(_resolve(part) for part in parts)
    raise ValueError(f"unexpected intrinsic in the definition: {value}")


@pytest.fixture(scope="module")
def definition(synthesized) -> str:
    machine = synthesized.resource("AWS::StepFunctions::StateMachine", "DeploymentPipelineStateMachine")
    return _resolve(machine["Properties"]["DefinitionString"])


@pytest.fixture
def cloud(definition, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sagemaker = boto3.client("sagemaker", region_name=REGION)
        sfn = boto3.client("stepfunctions", region_name=REGION)
        arn = sfn.create_state_machine(name="DeploymentPipeline", definition=definition,
                                       roleArn="arn:aws:iam::123456789012:role/DeploymentPipeline")["stateMachineArn"]
        yield sagemaker, sfn, arn


def _package(sagemaker, status: str = "Approved") -> str:
    sagemaker.create_model_package_group(ModelPackageGroupName="MlopsStack-penguins")
    return sagemaker.create_model_package(
        ModelPackageGroupName="MlopsStack-penguins", ModelApprovalStatus=status,
        InferenceSpecification={"Containers": [{"Image": "image", "ModelDataUrl": "s3://b/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]


def _deploy(cloud, package_arn: str, settings: dict | None = None) -> tuple[dict, list[str], dict]:
    """Run one deployment; (its input, the states it entered, its end event's details)."""
    _, sfn, arn = cloud
    data = build_deployment_input(model="penguins", settings=settings or penguins_settings(),
                                  approval=ApprovalEvent.from_event(approval_event(package_arn=package_arn)),
                                  poll_seconds=1)
    execution = sfn.start_execution(stateMachineArn=arn, name=data["deployment_id"], input=json.dumps(data))
    deadline = time.monotonic() + 30
    while sfn.list_executions(stateMachineArn=arn)["executions"][0]["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the deployment did not finish"
        time.sleep(0.1)
    events = sfn.get_execution_history(executionArn=execution["executionArn"])["events"]
    entered = [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]
    end = events[-1].get("executionFailedEventDetails") or {"status": events[-1]["type"]}
    return data, entered, end


def test_a_first_deployment_creates_the_endpoint_and_records_it(cloud):
    sagemaker = cloud[0]
    package = _package(sagemaker)
    data, entered, end = _deploy(cloud, package)
    assert end == {"status": "ExecutionSucceeded"}
    assert entered[:7] == ["CheckModelPackage", "StillApproved", "CreateModel", "CreateEndpointConfig",
                           "FindEndpoint", "EndpointMissing", "CreateEndpoint"]
    assert entered[-2:] == ["RecordDeployed", "Succeeded"]
    endpoint = sagemaker.describe_endpoint(EndpointName="MlopsStack-penguins")
    assert endpoint["EndpointConfigName"] == data["names"]["endpoint_config"]
    config = sagemaker.describe_endpoint_config(EndpointConfigName=data["names"]["endpoint_config"])
    assert config["ProductionVariants"][0]["VariantName"] == "AllTraffic"
    metadata = sagemaker.describe_model_package(ModelPackageName=package)["CustomerMetadataProperties"]
    assert metadata["DeploymentStatus"] == "Deployed" and metadata["EndpointName"] == "MlopsStack-penguins"
    assert metadata["EndpointConfigName"] == data["names"]["endpoint_config"]
    assert metadata["DeploymentExecutionArn"].endswith(f":{data['deployment_id']}") and metadata["DeployedAt"]


def test_a_package_no_longer_approved_is_not_deployed(cloud):
    sagemaker = cloud[0]
    package = _package(sagemaker, status="Rejected")
    _, entered, end = _deploy(cloud, package)
    assert end["error"] == "NotApproved"
    assert end["cause"] == f"Model package {package} is Rejected now, not Approved: nothing was deployed."
    assert "CreateModel" not in entered


def test_a_failing_step_is_recorded_on_the_package_and_ends_deployment_failed(cloud):
    sagemaker = cloud[0]
    package = _package(sagemaker)
    # An instance type SageMaker does not have (the settings parameter was edited by hand).
    _, entered, end = _deploy(cloud, package, penguins_settings(instance_type="ml.nope.large"))
    assert end["error"] == "DeploymentFailed" and "ml.nope.large" in end["cause"]
    assert entered[-3:] == ["CreateEndpointConfig", "RecordFailure", "DeploymentFailed"]
    metadata = sagemaker.describe_model_package(ModelPackageName=package)["CustomerMetadataProperties"]
    assert metadata["DeploymentStatus"] == "Failed" and metadata["FailedAt"]


@pytest.mark.parametrize(("states", "in_alarm"), [
    (["OK", "ALARM", "INSUFFICIENT_DATA"], ["ep-cfg-latency"]),
    (["ALARM", "ALARM", "OK"], ["ep-5xx", "ep-cfg-latency"]),
    (["OK", "OK", "OK"], []),
])
def test_the_names_of_the_alarms_in_alarm_are_picked_even_when_none_is(definition, cloud, states, in_alarm):
    """The rendered AlarmsInAlarm state on its own: DescribeAlarms' answer in, the names out."""
    _, sfn, _ = cloud
    state = {**json.loads(definition)["States"]["AlarmsInAlarm"], "End": True}
    del state["Next"], state["Catch"]
    arn = sfn.create_state_machine(name="AlarmsInAlarm", definition=json.dumps(
        {"StartAt": "AlarmsInAlarm", "States": {"AlarmsInAlarm": state}}),
        roleArn="arn:aws:iam::123456789012:role/x")["stateMachineArn"]
    names = ["ep-5xx", "ep-cfg-latency", "ep-cfg-5xx"]
    alarms = [{"AlarmName": name, "StateValue": value, "Namespace": "AWS/SageMaker"} for name, value in zip(names, states)]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"alarm_states": {"alarms": alarms}}),
                                    name="pick")["executionArn"]
    deadline = time.monotonic() + 10
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["alarm_states"] == {"in_alarm": in_alarm}
