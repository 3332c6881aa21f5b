"""Least privilege for serving: what the deployment state machine, its Lambdas and the
endpoints' execution role may do, each scoped to the model's own names."""

from __future__ import annotations

import json

import pytest

from tests.infra.helpers import as_list, policy_statements

PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}
ARN = "arn:aws:{service}:us-east-1:123456789012:{resource}"
# IAM's limit on a role's inline policies, in characters without whitespace.
INLINE_POLICY_LIMIT = 10_240


def rendered(value):
    """A policy value as IAM sees it: pseudo parameters filled in, other references as long
    as a real ARN (so the size check does not flatter us)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [rendered(item) for item in value]
    if "Ref" in value:
        return PSEUDO.get(value["Ref"], "arn:aws:states:us-east-1:123456789012:stateMachine:" + "x" * 40)
    if "Fn::GetAtt" in value:
        return "arn:aws:service:us-east-1:123456789012:resource/" + value["Fn::GetAtt"][0]
    if "Fn::Join" in value:
        delimiter, parts = value["Fn::Join"]
        return delimiter.join(rendered(part) for part in parts)
    if "Fn::Sub" in value:
        text = value["Fn::Sub"]
        for name, pseudo in PSEUDO.items():
            text = text.replace("${" + name + "}", pseudo)
        return text
    return {key: rendered(item) for key, item in value.items()}


def grants(synthesized, role_prefix: str) -> dict[str, list]:
    """action -> every resource (rendered) it is allowed on, with the statement's condition."""
    out: dict[str, list] = {}
    for statement in policy_statements(synthesized, role_prefix):
        for action in as_list(statement["Action"]):
            for resource in as_list(statement["Resource"]):
                out.setdefault(action, []).append((rendered(resource), statement.get("Condition")))
    return out


def resources(found: dict, action: str) -> set[str]:
    return {resource for resource, _ in found[action]}


@pytest.fixture(scope="module")
def machine(synthesized) -> dict:
    return grants(synthesized, "DeploymentPipelineStateMachineRole")


def test_sagemaker_actions_are_scoped_to_the_models_names(machine):
    sagemaker = lambda resource: ARN.format(service="sagemaker", resource=resource)  # noqa: E731
    assert resources(machine, "sagemaker:createModel") == {sagemaker("model/penguins-*"),
                                                           sagemaker("model/house-prices-*")}
    configs = {sagemaker("endpoint-config/penguins-*"), sagemaker("endpoint-config/house-prices-*")}
    assert resources(machine, "sagemaker:createEndpointConfig") == configs
    endpoints = {sagemaker(f"endpoint/{name}") for name in ("MlopsStack-penguins", "mlopsstack-penguins",
                                                            "MlopsStack-house-prices", "mlopsstack-house-prices")}
    assert resources(machine, "sagemaker:describeEndpoint") == endpoints
    assert resources(machine, "sagemaker:updateEndpoint") == endpoints | configs
    assert resources(machine, "sagemaker:createEndpoint") == endpoints | configs
    packages = resources(machine, "sagemaker:updateModelPackage")
    assert sagemaker("model-package/MlopsStack-penguins/*") in packages
    assert sagemaker("model-package/mlopsstack-penguins/*") in packages
    assert resources(machine, "sagemaker:AddTags") == endpoints | configs | {
        sagemaker("model/penguins-*"), sagemaker("model/house-prices-*")}


def test_alarms_are_scoped_by_name_and_the_endpoint_wide_one_is_only_read(machine):
    alarm = lambda name: ARN.format(service="cloudwatch", resource=f"alarm:{name}")  # noqa: E731
    new_fleet = {alarm("MlopsStack-penguins-penguins-*"), alarm("MlopsStack-house-prices-house-prices-*")}
    assert resources(machine, "cloudwatch:putMetricAlarm") == new_fleet
    assert resources(machine, "cloudwatch:deleteAlarms") == new_fleet
    assert resources(machine, "cloudwatch:describeAlarms") == new_fleet | {
        alarm("MlopsStack-penguins-5xx"), alarm("MlopsStack-house-prices-5xx")}


def test_only_the_execution_role_is_passed_and_only_to_sagemaker(machine, synthesized):
    role = synthesized.logical_id("AWS::IAM::Role", "SageMakerExecutionRole")
    [(resource, condition)] = machine["iam:PassRole"]
    assert resource.endswith(f"/{role}")
    assert condition == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}


def test_key_grants_are_only_for_aws_resources(machine):
    [(_, condition)] = machine["kms:CreateGrant"]
    assert condition == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_only_log_delivery_and_xray_are_unscoped(machine):
    unscoped = {action for action, found in machine.items() if any(resource == "*" for resource, _ in found)}
    assert unscoped and all(action.startswith(("logs:", "xray:")) for action in unscoped)


def test_the_state_machine_policy_fits_iams_inline_limit(synthesized):
    documents = [policy["Properties"]["PolicyDocument"] for logical_id, policy
                 in synthesized.resources("AWS::IAM::Policy").items()
                 if logical_id.startswith("DeploymentPipelineStateMachineRole")]
    size = sum(len(json.dumps(rendered(document), separators=(",", ":"))) for document in documents)
    assert size < INLINE_POLICY_LIMIT


def test_start_deployment_reads_settings_starts_runs_and_dead_letters(synthesized):
    found = grants(synthesized, "StartDeploymentRole")
    assert resources(found, "ssm:GetParametersByPath") == {
        ARN.format(service="ssm", resource="parameter/MlopsStack/models")}
    machine = synthesized.logical_id("AWS::StepFunctions::StateMachine", "DeploymentPipelineStateMachine")
    [statement] = [s for s in policy_statements(synthesized, "StartDeploymentRole")
                   if "states:StartExecution" in as_list(s["Action"])]
    assert statement["Resource"] == {"Ref": machine}
    assert "sqs:SendMessage" in found


def test_check_capacity_reads_quotas_and_endpoints_only(synthesized):
    found = grants(synthesized, "CheckCapacityRole")
    for action in ("servicequotas:ListServiceQuotas", "servicequotas:ListAWSDefaultServiceQuotas",
                   "sagemaker:ListEndpoints"):
        assert resources(found, action) == {"*"}
    assert resources(found, "sagemaker:DescribeEndpoint") == {ARN.format(service="sagemaker", resource="endpoint/*"),
                                                               ARN.format(service="sagemaker",
                                                                          resource="endpoint-config/*")}
    assert not [action for action in found if action.startswith("sagemaker:") and not action.startswith(
        ("sagemaker:Describe", "sagemaker:List"))]


def test_compare_shadow_reads_captures_and_metrics_only(synthesized):
    found = grants(synthesized, "CompareShadowRole")
    [(objects, _)] = found["s3:GetObject"]
    assert objects.endswith("/data-capture/*")
    [(_, condition)] = found["s3:ListBucket"]
    assert condition == {"StringLike": {"s3:prefix": "data-capture/*"}}
    assert resources(found, "cloudwatch:GetMetricData") == {"*"}
    assert "s3:PutObject" not in found


def test_the_execution_role_writes_captures_and_reads_the_rollback_alarms(synthesized, machine):
    found = grants(synthesized, "SageMakerExecutionRole")
    assert any(resource.endswith("/data-capture/*") for resource in resources(found, "s3:PutObject"))
    assert resources(found, "cloudwatch:DescribeAlarms") == resources(machine, "cloudwatch:describeAlarms")
