"""Narrow one statement's resource in the synthesized template and the IAM check says what a
first real deploy would hit: which role was refused which action on which resource.

The ValidateData role's read of `datasets/*` is pointed at the artifacts bucket instead of the
data bucket (same actions, another resource), that template is provisioned and a dataset is
uploaded: the function reads it all the same (moto enforces no IAM), the check refuses it.
"""

from __future__ import annotations

import time

import pytest

from mlops.localcloud.iam import IamCheckFailed
from mlops.runs import execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name
from tests.e2e.harness import STACK_NAME
from tests.e2e_iam.conftest import checked_stack, narrowed_template

pytestmark = pytest.mark.e2e


def _logical_id(template: dict, resource_type: str, prefix: str) -> str:
    found = [lid for lid, r in template["Resources"].items() if r["Type"] == resource_type and lid.startswith(prefix)]
    assert len(found) == 1, f"expected one {resource_type} named {prefix}*, found {found}"
    return found[0]


def _replace_bucket(value, old: str, new: str):
    if isinstance(value, dict):
        if value.get("Fn::GetAtt") == [old, "Arn"]:
            return {"Fn::GetAtt": [new, "Arn"]}
        return {k: _replace_bucket(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_bucket(v, old, new) for v in value]
    return value


def narrow_validate_data_read(template: dict) -> str:
    """Point the ValidateData role's statement that reads dataset versions at the artifacts
    bucket; answer the role's logical id."""
    function = template["Resources"][_logical_id(template, "AWS::Lambda::Function", "ValidateData")]
    role = function["Properties"]["Role"]["Fn::GetAtt"][0]
    data = _logical_id(template, "AWS::S3::Bucket", "StorageData")
    artifacts = _logical_id(template, "AWS::S3::Bucket", "StorageArtifacts")
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::IAM::Policy" or {"Ref": role} not in resource["Properties"]["Roles"]:
            continue
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if "s3:GetObjectVersion" in actions and data in str(statement["Resource"]):
                statement["Resource"] = _replace_bucket(statement["Resource"], data, artifacts)
                return role
    raise AssertionError(f"no statement of {role} grants s3:GetObjectVersion on the data bucket")


def _read_and_stop(stack, role_arn: str, body: bytes) -> None:
    """Upload a dataset and stop the run once the narrowed role has read it: the rest of the run
    is the unmodified stack's, which `test_iam_pipeline` checks in full."""
    key = "datasets/penguins/penguins.csv"
    version_id = stack.upload(key, body)
    arn = execution_arn(stack.outputs["TrainingPipelineArn"],
                        upload_execution_name("penguins", stack.data_bucket, key, version_id))
    deadline = time.monotonic() + 120
    while not any(c.principal and c.principal.role_arn == role_arn and c.operation == "s3.GetObject"
                  for c in stack.cloud.iam.calls):
        assert time.monotonic() < deadline, "the ValidateData function never read the upload"
        time.sleep(0.2)
    stack.sfn.stop_execution(executionArn=arn)
    wait_for_execution(stack.sfn, arn, timeout=60)
    stack.cloud.bus.wait_idle()


@pytest.fixture(scope="module")
def narrowed(cdk_out, tmp_path_factory, penguins_csv):
    roles = []
    edited = narrowed_template(cdk_out, tmp_path_factory.mktemp("narrowed") / "cdk.out",
                               lambda template: roles.append(narrow_validate_data_read(template)))
    with checked_stack(edited, tmp_path_factory.mktemp("cloud"), "narrowed") as stack:
        deployment = stack.cloud.deployments[STACK_NAME]
        role = deployment.resources[roles[0]]
        _read_and_stop(stack, role.attributes["Arn"], penguins_csv)
        with pytest.raises(IamCheckFailed) as failure:
            stack.cloud.iam.assert_allowed()
        yield {"findings": stack.cloud.iam.findings(), "message": str(failure.value),
               "role": role.physical_id, "role_id": roles[0],
               "object": f"arn:aws:s3:::{stack.data_bucket}/datasets/penguins/penguins.csv",
               "function": next(f.name for f in deployment.functions() if f.logical_id.startswith("ValidateData"))}


def test_refusal_names_the_role_the_action_and_the_resource(narrowed):
    refused = [r for r in narrowed["findings"].refused if r.action == "s3:GetObjectVersion"]
    assert len(refused) == 1, narrowed["message"]
    refusal = refused[0]
    assert narrowed["role"] in refusal.role and narrowed["role_id"] in refusal.role
    assert refusal.role_arn.endswith(f":role/{narrowed['role']}")
    assert refusal.resource == narrowed["object"]
    assert refusal.caller == f"Lambda function {narrowed['function']}"
    assert "s3.GetObject" in refusal.operations


def test_failure_message_says_the_same_in_words(narrowed):
    message = narrowed["message"]
    assert f"REFUSED s3:GetObjectVersion on {narrowed['object']}" in message
    assert narrowed["role"] in message and narrowed["function"] in message


def test_nothing_else_is_refused(narrowed):
    # The same role still reads its other objects; only the narrowed statement is missing.
    found = narrowed["findings"]
    assert {r.role_arn.rsplit("/", 1)[-1] for r in found.refused} == {narrowed["role"]}
    assert all(r.resource.startswith(narrowed["object"].rsplit("/", 2)[0]) for r in found.refused)
    assert found.unchecked == []
