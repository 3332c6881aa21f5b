"""Encryption at rest in the synthesized template: log groups with the logs key (usable by
CloudWatch Logs for this stack's log groups only), topics with the stack key, SageMaker
volumes and outputs with the stack key."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns

from infra.encryption import StackEncryption
from tests.infra.helpers import TOKEN, as_list, definition

SAGEMAKER_CREATES = {"createTrainingJob", "createProcessingJob", "createHyperParameterTuningJob"}


def _logs_key(synthesized) -> str:
    return synthesized.logical_id("AWS::KMS::Key", "EncryptionLogsKey")


def _logs_statement(key: dict) -> dict:
    [statement] = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == "CloudWatchLogsOfThisStack"]
    return statement


def _arn_suffix(arn) -> str:
    return arn["Fn::Join"][1][-1].split(":log-group:", 1)[1]


def test_every_log_group_is_encrypted_with_the_logs_key(synthesized):
    groups = synthesized.resources("AWS::Logs::LogGroup")
    assert len(groups) >= 4  # three functions and the state machine, at least
    for logical_id, group in groups.items():
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [_logs_key(synthesized), "Arn"]}, logical_id


def test_the_logs_key_rotates_and_serves_cloudwatch_logs_of_this_region(synthesized):
    key = synthesized.template["Resources"][_logs_key(synthesized)]
    assert key["Properties"]["EnableKeyRotation"] is True
    statement = _logs_statement(key)
    assert statement["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert not [a for a in as_list(statement["Action"]) if "*" in a]


def test_cloudwatch_logs_may_use_the_key_only_for_this_stacks_log_groups(synthesized):
    condition = _logs_statement(synthesized.template["Resources"][_logs_key(synthesized)])["Condition"]
    allowed = {_arn_suffix(arn) for arn in condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]}
    named = {g["Properties"]["LogGroupName"] for g in synthesized.resources("AWS::Logs::LogGroup").values()
             if "LogGroupName" in g["Properties"]}
    # Named groups exactly; unnamed ones get CloudFormation's `<stack>-<logical id>-<suffix>`.
    assert allowed == named | {"MlopsStack-*"}
    assert all(name.startswith("/aws/vendedlogs/states/MlopsStack-") for name in named)


@pytest.fixture(scope="module")
def topic_template() -> dict:
    """A stack with one topic, one named and one unnamed log group: what the aspect does."""
    app = cdk.App()
    stack = cdk.Stack(app, "Probe")
    key = kms.Key(stack, "StackKey")
    StackEncryption(stack, "Encryption", topics_key=key).apply()
    sns.Topic(stack, "Alerts")
    logs.LogGroup(stack, "Named", log_group_name="/probe/named")
    return app.synth().get_stack_by_name("Probe").template


def test_topics_are_encrypted_with_the_stack_key_which_their_publishers_may_use(topic_template):
    resources = topic_template["Resources"]
    [key_id] = [k for k, r in resources.items() if r["Type"] == "AWS::KMS::Key" and k.startswith("StackKey")]
    [topic] = [r for r in resources.values() if r["Type"] == "AWS::SNS::Topic"]
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    [publishers] = [s for s in resources[key_id]["Properties"]["KeyPolicy"]["Statement"]
                    if s.get("Sid") == "ServicesPublishingToTopics"]
    assert sorted(publishers["Principal"]["Service"]) == ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
    assert publishers["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_without_a_topic_no_service_may_use_the_stack_key_for_topics(synthesized):
    key = synthesized.resource("AWS::KMS::Key", "StorageKey")
    assert not [s for s in key["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == "ServicesPublishingToTopics"]


def test_a_named_log_group_is_named_exactly_in_the_key_policy(topic_template):
    resources = topic_template["Resources"]
    [logs_key] = [r for k, r in resources.items() if k.startswith("EncryptionLogsKey")]
    arns = _logs_statement(logs_key)["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    assert {_arn_suffix(arn) for arn in arns} == {"/probe/named"}


def _sagemaker_creates(synthesized) -> dict[str, dict]:
    states = definition(synthesized)["States"]
    return {name: state["Parameters"] for name, state in states.items()
            if state["Type"] == "Task" and state["Resource"].rsplit(":", 1)[-1] in SAGEMAKER_CREATES}


def test_every_sagemaker_job_encrypts_its_volume_and_its_outputs_with_the_stack_key(synthesized):
    creates = _sagemaker_creates(synthesized)
    assert set(creates) >= {"CreateTrainingJob", "CreateTuningJob", "CreateEvaluationJob",
                            "CreateEvaluationJobWithChampion", "CreateValidationJob", "CreatePreparationJob"}
    for name, request in creates.items():
        training = request.get("TrainingJobDefinition", request)
        if "ProcessingResources" in request:
            volume = request["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"]
            output = request["ProcessingOutputConfig"]["KmsKeyId"]
        else:
            volume, output = training["ResourceConfig"]["VolumeKmsKeyId"], training["OutputDataConfig"]["KmsKeyId"]
        assert volume == output == TOKEN, name  # the stack key's ARN, a deploy-time value


def test_the_key_arn_in_the_requests_is_the_stack_key(synthesized):
    machine = synthesized.resource("AWS::StepFunctions::StateMachine", "TrainingPipeline")
    parts = machine["Properties"]["DefinitionString"]["Fn::Join"][1]
    key = synthesized.logical_id("AWS::KMS::Key", "StorageKey")
    keys = [p for p in parts if isinstance(p, dict) and "Fn::GetAtt" in p and p["Fn::GetAtt"][1] == "Arn"
            and synthesized.template["Resources"][p["Fn::GetAtt"][0]]["Type"] == "AWS::KMS::Key"]
    assert keys and {k["Fn::GetAtt"][0] for k in keys} == {key}


def test_every_sagemaker_job_runs_network_isolated_with_encrypted_inter_container_traffic(synthesized):
    for name, request in _sagemaker_creates(synthesized).items():
        if "ProcessingResources" in request:
            settings = request["NetworkConfig"]
        else:
            settings = request.get("TrainingJobDefinition", request)
        assert settings["EnableNetworkIsolation"] is True, name
        assert settings["EnableInterContainerTrafficEncryption"] is True, name
        assert "VpcConfig" not in settings, name  # no VPC unless the config asks for one


def test_training_jobs_get_their_code_as_a_channel_because_isolated_containers_cannot_fetch_it(synthesized):
    for name, request in _sagemaker_creates(synthesized).items():
        if "ProcessingResources" in request:
            continue
        training = request.get("TrainingJobDefinition", request)
        channels = {c["ChannelName"]: c for c in training["InputDataConfig"]}
        assert set(channels) == {"train", "code"}, name
        # The job archive's URL (test_settings_and_registry checks it is the asset), not a path of the run.
        assert channels["code"]["DataSource"]["S3DataSource"]["S3Uri"] == TOKEN, name
