"""API calls -> the IAM actions and resources AWS authorizes them on (no policies involved)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from mlops.localcloud.iam.authorization import Unmapped
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.operations import authorizations

WHERE = Where(account="123456789012", region="us-east-1")
ARN = "arn:aws:{}:us-east-1:123456789012:{}"


def needed(service, operation, **params):
    return {(a.action, a.resource) for a in authorizations(service, operation, params, WHERE)}


def context_of(service, operation, action, **params):
    return next(dict(a.context) for a in authorizations(service, operation, params, WHERE) if a.action == action)


@pytest.fixture
def encrypted_bucket():
    """A versioned bucket whose default encryption is SSE-KMS with its own key, as the stack's."""
    with mock_aws():
        kms, s3 = boto3.client("kms", region_name="us-east-1"), boto3.client("s3", region_name="us-east-1")
        key = kms.create_key()["KeyMetadata"]["Arn"]
        s3.create_bucket(Bucket="data-bucket")
        s3.put_bucket_encryption(Bucket="data-bucket", ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
            "BucketKeyEnabled": True}]})
        yield key, s3, kms


def test_reading_an_object_version_needs_get_object_version_not_get_object():
    with mock_aws():
        assert needed("s3", "GetObject", Bucket="b", Key="datasets/a.csv", VersionId="v1") == {
            ("s3:GetObjectVersion", "arn:aws:s3:::b/datasets/a.csv")}
        assert needed("s3", "HeadObject", Bucket="b", Key="k") == {("s3:GetObject", "arn:aws:s3:::b/k")}


def test_listing_objects_needs_list_bucket_on_the_bucket_with_the_prefix():
    with mock_aws():
        assert needed("s3", "ListObjectsV2", Bucket="b", Prefix="models/") == {("s3:ListBucket", "arn:aws:s3:::b")}
        keys = context_of("s3", "ListObjectsV2", "s3:ListBucket", Bucket="b", Prefix="models/")
        assert keys["s3:prefix"] == "models/"


def test_writing_into_a_kms_encrypted_bucket_needs_the_bucket_key(encrypted_bucket):
    key, _, _ = encrypted_bucket
    assert needed("s3", "PutObject", Bucket="data-bucket", Key="k") == {
        ("s3:PutObject", "arn:aws:s3:::data-bucket/k"), ("kms:GenerateDataKey", key)}
    kms_context = context_of("s3", "PutObject", "kms:GenerateDataKey", Bucket="data-bucket", Key="k")
    assert kms_context["kms:ViaService"] == "s3.us-east-1.amazonaws.com"
    assert kms_context["kms:EncryptionContext:aws:s3:arn"] == "arn:aws:s3:::data-bucket"  # a Bucket Key


def test_a_request_naming_another_kms_key_needs_that_key(encrypted_bucket):
    _, _, kms = encrypted_bucket
    other = kms.create_key()["KeyMetadata"]
    found = needed("s3", "PutObject", Bucket="data-bucket", Key="k", ServerSideEncryption="aws:kms",
                   SSEKMSKeyId=other["KeyId"])
    assert ("kms:GenerateDataKey", other["Arn"]) in found


def test_reading_an_encrypted_object_needs_decrypt_with_the_key_it_was_written_with(encrypted_bucket):
    key, s3, kms = encrypted_bucket
    s3.put_object(Bucket="data-bucket", Key="k", Body=b"x")
    s3.put_bucket_encryption(Bucket="data-bucket", ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    assert ("kms:Decrypt", key) in needed("s3", "GetObject", Bucket="data-bucket", Key="k")
    assert not any(a.startswith("kms:") for a, _ in needed("s3", "HeadObject", Bucket="data-bucket", Key="k"))


def test_copying_reads_the_source_version_and_writes_the_target():
    with mock_aws():
        assert needed("s3", "CopyObject", Bucket="to", Key="new", CopySource="from/old%20key?versionId=v9") == {
            ("s3:PutObject", "arn:aws:s3:::to/new"), ("s3:GetObjectVersion", "arn:aws:s3:::from/old key")}


def test_creating_a_training_job_passes_its_role_and_tags_it():
    found = authorizations("sagemaker", "CreateTrainingJob", {
        "TrainingJobName": "penguins-1-train", "RoleArn": "arn:aws:iam::123456789012:role/Jobs",
        "ResourceConfig": {"InstanceType": "ml.m5.large"}, "EnableNetworkIsolation": True,
        "Tags": [{"Key": "mlops:model", "Value": "penguins"}]}, WHERE)
    by_action = {a.action: a for a in found}
    assert by_action["sagemaker:CreateTrainingJob"].resource == ARN.format("sagemaker", "training-job/penguins-1-train")
    assert by_action["sagemaker:AddTags"].resource == ARN.format("sagemaker", "training-job/penguins-1-train")
    assert by_action["iam:PassRole"].resource == "arn:aws:iam::123456789012:role/Jobs"
    assert dict(by_action["iam:PassRole"].context) == {"iam:PassedToService": "sagemaker.amazonaws.com"}
    keys = dict(by_action["sagemaker:CreateTrainingJob"].context)
    assert keys["sagemaker:NetworkIsolation"] == "true" and keys["aws:RequestTag/mlops:model"] == "penguins"


def test_a_registered_package_is_the_next_version_of_its_group_in_both_spellings():
    with mock_aws():
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sm.create_model_package_group(ModelPackageGroupName="Stack-penguins")
        found = needed("sagemaker", "CreateModelPackage", ModelPackageGroupName="Stack-penguins")
    assert found == {("sagemaker:CreateModelPackage", ARN.format("sagemaker", "model-package/Stack-penguins/1")),
                     ("sagemaker:CreateModelPackage", ARN.format("sagemaker", "model-package/stack-penguins/1"))}


def test_an_action_on_two_named_resources_is_authorized_on_both():
    assert needed("sagemaker", "CreateTrial", TrialName="t1", ExperimentName="e1") == {
        ("sagemaker:CreateTrial", ARN.format("sagemaker", "experiment/e1")),
        ("sagemaker:CreateTrial", ARN.format("sagemaker", "experiment-trial/t1"))}


@pytest.mark.parametrize("name, qualifier, resource", [
    ("fn", None, "function:fn"),
    ("fn:live", None, "function:fn:live"),
    ("arn:aws:lambda:us-east-1:123456789012:function:fn", None, "function:fn"),
    ("123456789012:function:fn", "3", "function:fn:3"),
])
def test_invoking_a_function_needs_invoke_function_on_the_arn_as_called(name, qualifier, resource):
    params = {"FunctionName": name, **({"Qualifier": qualifier} if qualifier else {})}
    assert needed("lambda", "Invoke", **params) == {("lambda:InvokeFunction", ARN.format("lambda", resource))}


def test_other_services_resolve_from_the_catalogue_of_arn_formats():
    machine = ARN.format("states", "stateMachine:Pipeline")
    assert needed("stepfunctions", "StartExecution", stateMachineArn=machine) == {("states:StartExecution", machine)}
    assert needed("ssm", "GetParameter", Name="/Stack/models/penguins") == {
        ("ssm:GetParameter", ARN.format("ssm", "parameter/Stack/models/penguins"))}
    # A listing is authorized on the path itself, which `parameter/Stack/models/*` does not match.
    assert needed("ssm", "GetParametersByPath", Path="/Stack/models") == {
        ("ssm:GetParametersByPath", ARN.format("ssm", "parameter/Stack/models"))}
    assert needed("logs", "PutLogEvents", logGroupName="/aws/sagemaker/TrainingJobs", logStreamName="job/algo-1") == {
        ("logs:PutLogEvents", ARN.format("logs", "log-group:/aws/sagemaker/TrainingJobs:log-stream:job/algo-1"))}
    assert needed("cloudwatch", "PutMetricData", Namespace="/aws/sagemaker/TrainingJobs") == {
        ("cloudwatch:PutMetricData", "*")}


def test_sending_to_an_encrypted_queue_needs_its_key():
    with mock_aws():
        key = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["Arn"]
        url = boto3.client("sqs", region_name="us-east-1").create_queue(
            QueueName="dead-letters", Attributes={"KmsMasterKeyId": key})["QueueUrl"]
        assert needed("sqs", "SendMessage", QueueUrl=url, MessageBody="x") == {
            ("sqs:SendMessage", ARN.format("sqs", "dead-letters")), ("kms:GenerateDataKey", key), ("kms:Decrypt", key)}


def test_calls_no_permission_governs_need_none_and_unknown_ones_are_named():
    assert needed("sts", "GetCallerIdentity") == set()
    with pytest.raises(Unmapped, match="sagemaker:DescribeTrainingJob: cannot tell which training-job"):
        needed("sagemaker", "DescribeTrainingJob")
    with pytest.raises(Unmapped, match="S3 RestoreEverything: no IAM action known"):
        needed("s3", "RestoreEverything", Bucket="b")


def test_eventbridge_invokes_a_function_target_as_its_service_for_the_rule_and_can_dead_letter():
    from mlops.localcloud.iam.service_calls import eventbridge_target

    rule, function = ARN.format("events", "rule/uploads"), ARN.format("lambda", "function:start")
    with mock_aws():
        key = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["Arn"]
        boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="dlq", Attributes={"KmsMasterKeyId": key})
        _, found, problem = eventbridge_target(rule_arn=rule, where=WHERE, target={
            "Id": "T", "Arn": function, "DeadLetterConfig": {"Arn": ARN.format("sqs", "dlq")}})
    assert problem is None
    assert {(a.action, a.resource, a.service_principal) for a in found} == {
        ("lambda:InvokeFunction", function, "events.amazonaws.com"),
        ("sqs:SendMessage", ARN.format("sqs", "dlq"), "events.amazonaws.com"),
        ("kms:GenerateDataKey", key, "events.amazonaws.com"), ("kms:Decrypt", key, "events.amazonaws.com")}
    assert all(dict(a.context)["aws:SourceArn"] == rule for a in found)


def test_a_state_machine_target_without_a_role_is_named_as_a_problem():
    from mlops.localcloud.iam.service_calls import eventbridge_target

    _, found, problem = eventbridge_target(rule_arn=ARN.format("events", "rule/r"), where=WHERE, target={
        "Id": "T", "Arn": ARN.format("states", "stateMachine:Pipeline")})
    assert found == [] and "has no RoleArn" in problem
