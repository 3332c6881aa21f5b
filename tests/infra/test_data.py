"""Storage: the KMS key and the data, artifacts and access-log buckets."""

from __future__ import annotations

from aws_cdk.assertions import Match

from tests.infra.helpers import as_list


def _encrypted_buckets(synthesized):
    return {k: v for k, v in synthesized.resources("AWS::S3::Bucket").items()
            if k.startswith(("StorageData", "StorageArtifacts"))}


def test_the_key_rotates_and_is_retained(template):
    template.has_resource("AWS::KMS::Key", {
        "Properties": {"EnableKeyRotation": True},
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
    })


def test_data_and_artifacts_buckets_are_versioned_and_kms_encrypted_with_the_stack_key(synthesized):
    key = synthesized.logical_id("AWS::KMS::Key", "StorageKey")
    buckets = _encrypted_buckets(synthesized)
    assert len(buckets) == 2
    for bucket in buckets.values():
        properties = bucket["Properties"]
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
        rule = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms",
                                                         "KMSMasterKeyID": {"Fn::GetAtt": [key, "Arn"]}}
        assert bucket["DeletionPolicy"] == "Retain"


def test_every_bucket_blocks_all_public_access(template):
    template.resource_count_is("AWS::S3::Bucket", 3)
    template.all_resources_properties("AWS::S3::Bucket", {
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True, "BlockPublicPolicy": True,
            "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
        },
    })


def test_every_bucket_denies_requests_without_tls(synthesized):
    buckets = set(synthesized.resources("AWS::S3::Bucket"))
    enforced = set()
    for policy in synthesized.resources("AWS::S3::BucketPolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Effect"] == "Deny" and statement.get("Condition") == {
                    "Bool": {"aws:SecureTransport": "false"}}:
                enforced.add(policy["Properties"]["Bucket"]["Ref"])
    assert enforced == buckets


def test_the_data_bucket_sends_its_events_to_eventbridge_without_a_custom_resource(synthesized):
    data = synthesized.resource("AWS::S3::Bucket", "StorageData")
    assert data["Properties"]["NotificationConfiguration"] == {
        "EventBridgeConfiguration": {"EventBridgeEnabled": True}}
    types = {resource["Type"] for resource in synthesized.template["Resources"].values()}
    assert not [t for t in types if t.startswith("Custom::") or t == "AWS::CDK::Metadata"]


def test_encrypted_buckets_log_to_an_sse_s3_log_bucket(synthesized, template):
    log_bucket = synthesized.logical_id("AWS::S3::Bucket", "StorageAccessLogs")
    for bucket in _encrypted_buckets(synthesized).values():
        assert bucket["Properties"]["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": log_bucket}
    logs = synthesized.template["Resources"][log_bucket]["Properties"]
    assert logs["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    # Delivery through the bucket policy, for both source buckets.
    template.has_resource_properties("AWS::S3::BucketPolicy", {
        "Bucket": {"Ref": log_bucket},
        "PolicyDocument": {"Statement": Match.array_with([Match.object_like({
            "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject"})])},
    })


def test_only_eventbridge_of_this_account_may_use_the_key_besides_iam(synthesized):
    key = synthesized.resource("AWS::KMS::Key", "StorageKey")
    services = [s for s in key["Properties"]["KeyPolicy"]["Statement"] if "Service" in s["Principal"]]
    assert [s["Principal"]["Service"] for s in services] == ["events.amazonaws.com"]
    assert sorted(as_list(services[0]["Action"])) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert services[0]["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
