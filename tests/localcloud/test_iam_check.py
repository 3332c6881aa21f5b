"""The IAM check in an embedded cloud: calls recorded with the role that made them, evaluated
against the provisioned template's policies, refusals named by role, action, resource, caller."""

from __future__ import annotations

import json
import time

import pytest

from mlops.localcloud.credentials import role_session
from mlops.localcloud.iam import IamCheckFailed
from mlops.localcloud.server import EmbeddedCloud

STACK = "IamCheckStack"
ARN = {"Fn::GetAtt": ["Data", "Arn"]}


def _role(trusted: str, statements: list[dict]) -> dict:
    return {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": trusted}, "Action": "sts:AssumeRole"}]},
        "Policies": [{"PolicyName": "Grants", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}]}}


def _machine(role: str, keys: list[str]) -> dict:
    states = {f"Write{i}": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                            "Parameters": {"Bucket": "${Bucket}", "Key": key, "Body": "{}"},
                            **({"Next": f"Write{i + 1}"} if i + 1 < len(keys) else {"End": True})}
              for i, key in enumerate(keys)}
    return {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "RoleArn": {"Fn::GetAtt": [role, "Arn"]}, "DefinitionSubstitutions": {"Bucket": {"Ref": "Data"}},
        "DefinitionString": json.dumps({"StartAt": "Write0", "States": states})}}


TEMPLATE = {"Resources": {
    "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
         "Action": "kms:*", "Resource": "*"}]}}},
    "Data": {"Type": "AWS::S3::Bucket", "Properties": {
        "VersioningConfiguration": {"Status": "Enabled"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]}}}]}}},
    # A job role that may read datasets but was not given the bucket's KMS key.
    "JobRole": _role("sagemaker.amazonaws.com", [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Join": ["", [ARN, "/datasets/*"]]}},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN}]),
    "MachineRole": _role("states.amazonaws.com", [
        {"Effect": "Allow", "Action": "s3:putObject", "Resource": {"Fn::Join": ["", [ARN, "/results/*"]]}},
        {"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": {"Fn::GetAtt": ["Key", "Arn"]}}]),
    "Machine": _machine("MachineRole", ["results/out.json", "elsewhere/out.json"]),
    "LambdaOnlyRole": _role("lambda.amazonaws.com", [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
                                                      {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]),
    "Misconfigured": _machine("LambdaOnlyRole", ["results/other.json"]),
    # A queue target without a queue policy: EventBridge may not send to it.
    "Inbox": {"Type": "AWS::SQS::Queue", "Properties": {}},
    "Forward": {"Type": "AWS::Events::Rule", "Properties": {
        "EventPattern": {"source": ["iam.test"]}, "State": "ENABLED",
        "Targets": [{"Id": "inbox", "Arn": {"Fn::GetAtt": ["Inbox", "Arn"]}}]}},
}}


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    cdk_out = tmp_path_factory.mktemp("cdk.out")
    (cdk_out / f"{STACK}.template.json").write_text(json.dumps(TEMPLATE))
    with EmbeddedCloud(region="us-east-1", iam_check=True) as started:
        deployment = started.deploy(cdk_out, STACK)
        started.test_ids = {lid: r.physical_id for lid, r in deployment.resources.items()}
        started.test_arns = {lid: r.attributes.get("Arn") for lid, r in deployment.resources.items()}
        started.client("s3").put_object(Bucket=started.test_ids["Data"], Key="datasets/a.csv", Body=b"a,b\n1,2\n")
        yield started


def _run(cloud, machine: str) -> None:
    sfn = cloud.client("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=cloud.test_ids[machine], name=f"run-{time.time_ns()}")["executionArn"]
    deadline = time.monotonic() + 30
    while sfn.describe_execution(executionArn=arn)["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.2)


def _refused(found) -> set[tuple[str, str]]:
    return {(r.action, r.resource) for r in found.refused}


def test_a_role_is_refused_what_its_policies_do_not_grant_and_allowed_the_rest(cloud):
    mark, bucket = cloud.iam.mark(), cloud.test_ids["Data"]
    s3 = role_session(cloud.test_arns["JobRole"], endpoint_url=cloud.endpoint_url, region="us-east-1",
                      session_name="penguins-1-train").client("s3", endpoint_url=cloud.endpoint_url)
    s3.list_objects_v2(Bucket=bucket, Prefix="datasets/")
    s3.get_object(Bucket=bucket, Key="datasets/a.csv")
    found = cloud.iam.findings(since=mark)
    assert _refused(found) == {("kms:Decrypt", cloud.test_arns["Key"])}  # the read is granted, the key is not
    refusal = found.refused[0]
    assert refusal.role.startswith("JobRole (") and refusal.role_arn == cloud.test_arns["JobRole"]
    assert refusal.caller == "SageMaker job penguins-1-train"
    assert refusal.operations == ("s3.GetObject",) and refusal.decision == "ImplicitlyDenied"


def test_state_machine_tasks_call_as_the_state_machine_role(cloud):
    mark = cloud.iam.mark()
    _run(cloud, "Machine")
    found = cloud.iam.findings(since=mark)
    elsewhere = f"arn:aws:s3:::{cloud.test_ids['Data']}/elsewhere/out.json"
    assert _refused(found) == {("s3:PutObject", elsewhere)}
    assert found.refused[0].caller == f"state machine {cloud.test_ids['Machine'].rsplit(':', 1)[-1]}, state Write1"
    assert found.unchecked == []  # in particular, no call signed with moto's fixed task credentials


def test_a_role_the_service_may_not_assume_is_refused_to_the_service(cloud):
    mark = cloud.iam.mark()
    _run(cloud, "Misconfigured")
    found = cloud.iam.findings(since=mark)
    assert _refused(found) == {("sts:AssumeRole", cloud.test_arns["LambdaOnlyRole"])}
    assert found.refused[0].role == "states.amazonaws.com"


def test_assert_allowed_fails_with_the_report_and_operator_calls_are_not_checked(cloud):
    mark = cloud.iam.mark()
    cloud.client("s3").get_object(Bucket=cloud.test_ids["Data"], Key="datasets/a.csv")  # the operator: unchecked
    assert cloud.iam.calls[mark.calls:] == []
    cloud.iam.assert_allowed(since=mark)
    _run(cloud, "Machine")
    with pytest.raises(IamCheckFailed) as failure:
        cloud.iam.assert_allowed(since=mark)
    assert f"REFUSED s3:PutObject on arn:aws:s3:::{cloud.test_ids['Data']}/elsewhere/out.json" in str(failure.value)
    assert "role MachineRole (" in str(failure.value)


def test_calls_signed_with_moto_fixed_task_credentials_are_reported(cloud):
    import boto3

    mark = cloud.iam.mark()
    boto3.client("s3", endpoint_url=cloud.endpoint_url, region_name="us-east-1", aws_access_key_id="ak",
                 aws_secret_access_key="sk").list_buckets()
    (unchecked,) = cloud.iam.findings(since=mark).unchecked
    assert unchecked.caller == "access key ak" and "did not call as its state machine's role" in unchecked.problem


def test_eventbridge_deliveries_of_the_stack_rules_are_checked_as_the_events_service(cloud):
    events, sqs = cloud.client("events"), cloud.client("sqs")
    # A rule and queue the operator adds by hand are not the stack's: not checked.
    mine = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName="operator-inbox")["QueueUrl"],
                                    AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="operator-rule", EventPattern=json.dumps({"source": ["iam.test"]}))
    events.put_targets(Rule="operator-rule", Targets=[{"Id": "mine", "Arn": mine}])
    mark = cloud.iam.mark()
    events.put_events(Entries=[{"Source": "iam.test", "DetailType": "Test", "Detail": "{}"}])
    cloud.bus.wait_idle()
    found = cloud.iam.findings(since=mark)
    assert _refused(found) == {("sqs:SendMessage", cloud.test_arns["Inbox"])}
    assert found.refused[0].role == "events.amazonaws.com"
    assert found.refused[0].caller == f"EventBridge rule {cloud.test_ids['Forward'].split('|')[-1]}"
