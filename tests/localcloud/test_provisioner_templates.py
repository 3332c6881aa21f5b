"""Hand-written templates: what is refused before anything is created, what fails mid-way, what
is ignored or skipped (bootstrap checks, CDK metadata, false conditions), parameters, native
bucket notifications and generated names."""

from __future__ import annotations

import json

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mlops.localcloud.provisioner import ProvisioningError, provision

REGION = "us-east-1"
BOOTSTRAP = {
    "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>",
                                        "Default": "/cdk-bootstrap/hnb659fds/version"}},
    "Rules": {"CheckBootstrapVersion": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Contains": [
        ["1", "2"], {"Ref": "BootstrapVersion"}]}]}, "AssertDescription": "CDK bootstrap stack version 6 required"}]}},
}


@pytest.fixture(scope="module")
def endpoint_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(endpoint_url):
    def client(service):
        return boto3.client(service, endpoint_url=endpoint_url, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    return client


def _deploy(tmp_path, endpoint_url, stack, resources, parameters=None, **sections):
    template = {**BOOTSTRAP, "Resources": resources, **sections}
    (tmp_path / f"{stack}.template.json").write_text(json.dumps(template))
    return provision(tmp_path, stack, endpoint_url=endpoint_url, region=REGION, parameters=parameters)


def _bucket_names(aws):
    return {b["Name"] for b in aws("s3").list_buckets()["Buckets"]}


def test_unsupported_type_is_refused_naming_type_and_logical_id_before_anything_is_created(tmp_path, endpoint_url, aws):
    resources = {
        "Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "refused-stack-logs"}},
        "Network": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
    }
    with pytest.raises(ProvisioningError, match=r"Network \(AWS::EC2::VPC\)") as caught:
        _deploy(tmp_path, endpoint_url, "Refused", resources)
    assert "nothing was created" in str(caught.value)
    assert "refused-stack-logs" not in _bucket_names(aws)


def test_generic_custom_resources_are_refused(tmp_path, endpoint_url):
    resources = {"Seed": {"Type": "Custom::SeedData", "Properties": {"ServiceToken": "arn:aws:lambda:x"}}}
    with pytest.raises(ProvisioningError, match=r"Seed \(Custom::SeedData\)"):
        _deploy(tmp_path, endpoint_url, "CustomRefused", resources)


def test_import_value_is_refused_before_anything_is_created(tmp_path, endpoint_url, aws):
    resources = {
        "Early": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "import-stack-early"}},
        "Param": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Type": "String", "Value": {"Fn::ImportValue": "Shared-BucketName"}}},
    }
    with pytest.raises(ProvisioningError, match=r"Param \(AWS::SSM::Parameter\): unsupported intrinsic function\(s\) "
                                                r"Fn::ImportValue \(cross-stack"):
        _deploy(tmp_path, endpoint_url, "Imports", resources)
    assert "import-stack-early" not in _bucket_names(aws)


def test_unknown_attribute_and_unknown_reference_are_named(tmp_path, endpoint_url):
    resources = {
        "Queue": {"Type": "AWS::SQS::Queue"},
        "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": {"Fn::GetAtt": ["Queue", "Colour"]}}},
    }
    with pytest.raises(ProvisioningError, match=r"Param \(AWS::SSM::Parameter\): Fn::GetAtt Queue.Colour: "
                                                r"AWS::SQS::Queue has no attribute Colour"):
        _deploy(tmp_path, endpoint_url, "BadAttribute", resources)
    resources["Param"]["Properties"]["Value"] = {"Fn::Sub": "${Missing}"}
    with pytest.raises(ProvisioningError, match="refers to Missing, which is neither a resource nor a parameter"):
        _deploy(tmp_path, endpoint_url, "BadReference", resources)


def test_dependency_cycles_are_refused_naming_the_resources(tmp_path, endpoint_url):
    resources = {
        "A": {"Type": "AWS::SQS::Queue", "Properties": {"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["B", "Arn"]}}}},
        "B": {"Type": "AWS::SQS::Queue", "DependsOn": "A"},
    }
    with pytest.raises(ProvisioningError, match="circular dependency between resources: A -> B -> A"):
        _deploy(tmp_path, endpoint_url, "Cycle", resources)


def test_a_failing_creation_names_the_resource(tmp_path, endpoint_url, aws):
    resources = {
        "Good": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "midway-stack-good"}},
        "Bad": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "ab"}, "DependsOn": "Good"},
    }
    with pytest.raises(ProvisioningError, match=r"Bad \(AWS::S3::Bucket\): creation failed: CreateBucket: InvalidBucketName"):
        _deploy(tmp_path, endpoint_url, "Midway", resources)
    assert "midway-stack-good" in _bucket_names(aws)


def test_missing_template_is_named(tmp_path, endpoint_url):
    with pytest.raises(ProvisioningError, match=r"Nope.template.json: no such template"):
        provision(tmp_path, "Nope", endpoint_url=endpoint_url, region=REGION)


def test_another_account_than_the_server_serves_is_refused(tmp_path, endpoint_url):
    (tmp_path / "Acct.template.json").write_text(json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    with pytest.raises(ProvisioningError, match="account 111122223333 was asked for"):
        provision(tmp_path, "Acct", endpoint_url=endpoint_url, region=REGION, account="111122223333")


def test_conditions_parameters_metadata_and_bootstrap_checks(tmp_path, endpoint_url, aws):
    resources = {
        "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:xyz"}},
        "ProdOnly": {"Type": "AWS::SQS::Queue", "Condition": "IsProd"},
        "Settings": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": {"Fn::Sub": "/${AWS::StackName}/${Stage}/settings"}, "Type": "String",
            "Description": {"Fn::If": ["IsProd", "prod settings", {"Ref": "AWS::NoValue"}]},
            "Value": {"Fn::Join": [",", [{"Fn::Select": [0, {"Ref": "Sizes"}]}, {"Fn::If": ["IsProd", "big", "small"]}]]}}},
    }
    parameters = {**BOOTSTRAP["Parameters"], "Stage": {"Type": "String", "Default": "dev"},
                  "Sizes": {"Type": "CommaDelimitedList", "Default": "s,m"}}
    conditions = {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}}
    outputs = {"SettingsName": {"Value": {"Ref": "Settings"}},
               "QueueUrl": {"Condition": "IsProd", "Value": {"Ref": "ProdOnly"}}}
    deployment = _deploy(tmp_path, endpoint_url, "Conditional", resources, Parameters=parameters,
                         Conditions=conditions, Outputs=outputs)
    assert deployment.outputs == {"SettingsName": "/Conditional/dev/settings"}
    assert set(deployment.skipped) == {"CDKMetadata", "ProdOnly"}
    parameter = aws("ssm").get_parameter(Name="/Conditional/dev/settings")["Parameter"]
    assert parameter["Value"] == "s,small"
    assert deployment.resources["Settings"].properties.get("Description") is None
    assert deployment.resources["Settings"].attributes == {"Type": "String", "Value": "s,small"}


def test_generated_names_are_deterministic_and_fit_each_service(tmp_path, endpoint_url):
    stack = "A-Rather-Long-Stack-Name-For-Testing-Generated-Physical-Names"
    resources = {
        "AnExtremelyLongLogicalIdentifierForABucketThatNeedsCutting0123ABCD": {"Type": "AWS::S3::Bucket"},
        "FifoQueue": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": True}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "lambda.amazonaws.com"}}]}}},
        "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v"}},
    }
    deployment = _deploy(tmp_path, endpoint_url, stack, resources)
    names = {lid: r.physical_id for lid, r in deployment.resources.items()}
    bucket = names["AnExtremelyLongLogicalIdentifierForABucketThatNeedsCutting0123ABCD"]
    assert len(bucket) <= 63 and bucket == bucket.lower() and bucket.startswith("a-rather-long")
    assert deployment.resources["FifoQueue"].attributes["QueueName"].endswith(".fifo")
    assert len(deployment.resources["FifoQueue"].attributes["QueueName"]) <= 80
    assert len(names["Role"]) <= 64 and names["Role"].startswith("A-Rather-Long")
    assert names["Param"].startswith("CFN-Param-")
    from mlops.localcloud.resources.base import generated_name

    assert generated_name(stack, "Role", max_length=64) == names["Role"]


def test_given_parameters_override_defaults_and_unknown_ones_are_refused(tmp_path, endpoint_url, aws):
    resources = {"Settings": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Name": "/Params/stage", "Type": "String", "Value": {"Ref": "Stage"}}}}
    parameters = {**BOOTSTRAP["Parameters"], "Stage": {"Type": "String", "Default": "dev"}}
    _deploy(tmp_path, endpoint_url, "Params", resources, parameters={"Stage": "prod"}, Parameters=parameters)
    assert aws("ssm").get_parameter(Name="/Params/stage")["Parameter"]["Value"] == "prod"
    with pytest.raises(ProvisioningError, match="parameters not in the template: Colour"):
        _deploy(tmp_path, endpoint_url, "ParamsUnknown", resources, parameters={"Colour": "red"}, Parameters=parameters)


def test_native_bucket_notification_configuration_is_translated(tmp_path, endpoint_url, aws):
    resources = {
        "Inbox": {"Type": "AWS::SQS::Queue"},
        "Data": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "native-notifications-data",
                                                          "NotificationConfiguration": {
            "EventBridgeConfiguration": {"EventBridgeEnabled": True},
            "QueueConfigurations": [{"Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": ["Inbox", "Arn"]},
                                     "Filter": {"S3Key": {"Rules": [{"Name": "suffix", "Value": ".csv"}]}}}]}}},
    }
    deployment = _deploy(tmp_path, endpoint_url, "Native", resources)
    config = aws("s3").get_bucket_notification_configuration(Bucket="native-notifications-data")
    queue, = config["QueueConfigurations"]
    assert queue["QueueArn"] == deployment.resources["Inbox"].attributes["Arn"]
    assert queue["Events"] == ["s3:ObjectCreated:*"]
    # Rule names pass through as written (AWS would answer "Suffix"; moto matches lowercase only).
    assert queue["Filter"]["Key"]["FilterRules"] == [{"Name": "suffix", "Value": ".csv"}]
    from moto.s3.models import s3_backends  # moto's GET never returns EventBridgeConfiguration

    assert s3_backends["123456789012"]["aws"].buckets["native-notifications-data"].notification_configuration.event_bridge == {}


def test_ignored_properties_are_reported_as_warnings(tmp_path, endpoint_url):
    resources = {
        "Site": {"Type": "AWS::S3::Bucket", "Properties": {"WebsiteConfiguration": {"IndexDocument": "index.html"}}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"Colour": "blue"}},
    }
    deployment = _deploy(tmp_path, endpoint_url, "Warnings", resources)
    assert "Queue (AWS::SQS::Queue): property Colour is ignored by the embedded cloud" in deployment.warnings
    assert "Site (AWS::S3::Bucket): WebsiteConfiguration is not applied in the embedded cloud" in deployment.warnings
