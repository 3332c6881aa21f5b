"""A small CDK app (synthesized once) provisioned in a moto server, checked through the AWS APIs."""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile

import aws_cdk as cdk
import boto3
import pytest
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from aws_cdk import aws_stepfunctions as sfn
from moto.server import ThreadedMotoServer

from mlops.localcloud.provisioner import SUPPORTED_RESOURCE_TYPES, provision

STACK = "ProvisionerTestStack"
REGION = "us-east-1"


def build_app(outdir, asset_dir):
    # The S3 access-log grant as a bucket policy (CDK's recommended flag), not an ACL.
    app = cdk.App(outdir=str(outdir), context={"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True})
    stack = cdk.Stack(app, STACK)
    key = kms.Key(stack, "DataKey", enable_key_rotation=True)
    access_logs = s3.Bucket(stack, "AccessLogs", encryption=s3.BucketEncryption.S3_MANAGED, enforce_ssl=True,
                            block_public_access=s3.BlockPublicAccess.BLOCK_ALL)
    data = s3.Bucket(
        stack, "Data", versioned=True, encryption=s3.BucketEncryption.KMS, encryption_key=key,
        event_bridge_enabled=True, server_access_logs_bucket=access_logs, server_access_logs_prefix="data/",
        enforce_ssl=True, block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=cdk.Duration.days(30))],
    )
    dead_letters = sqs.Queue(stack, "DeadLetters", enforce_ssl=True)
    fn = lambda_.Function(
        stack, "StartPipeline", runtime=lambda_.Runtime.PYTHON_3_11, handler="handler.main",
        code=lambda_.Code.from_asset(str(asset_dir)), timeout=cdk.Duration.seconds(30), memory_size=256,
        tracing=lambda_.Tracing.ACTIVE, environment={"DATA_BUCKET": data.bucket_name, "POLL_SECONDS": "1"},
    )
    data.grant_read(fn)
    rule = events.Rule(stack, "DatasetUploaded", event_pattern=events.EventPattern(
        source=["aws.s3"], detail_type=["Object Created"],
        detail={"bucket": {"name": [data.bucket_name]}, "object": {"key": [{"prefix": "datasets/"}]}}))
    rule.add_target(targets.LambdaFunction(fn, dead_letter_queue=dead_letters, retry_attempts=2))
    pipeline = sfn.StateMachine(stack, "Pipeline", definition_body=sfn.DefinitionBody.from_chainable(
        sfn.Pass(stack, "Describe", result=sfn.Result.from_object({"function": fn.function_arn}))))
    group = sagemaker.CfnModelPackageGroup(stack, "Registry", model_package_group_name=f"{STACK}-penguins",
                                           model_package_group_description="penguins models")
    ssm.StringParameter(stack, "Settings", parameter_name=f"/{STACK}/models/penguins", string_value=stack.to_json_string({
        "model": "penguins", "test_size": 0.2, "model_package_group": group.model_package_group_name,
        "data_bucket": data.bucket_name, "queue": dead_letters.queue_url,
    }))
    for name, value in {"DataBucketName": data.bucket_name, "FunctionArn": fn.function_arn,
                        "PipelineArn": pipeline.state_machine_arn, "RegistryArn": group.attr_model_package_group_arn,
                        "QueueArn": dead_letters.queue_arn}.items():
        cdk.CfnOutput(stack, name, value=value)
    app.synth()


@pytest.fixture(scope="module")
def cdk_out(tmp_path_factory):
    asset_dir = tmp_path_factory.mktemp("start_pipeline")
    (asset_dir / "handler.py").write_text("def main(event, context):\n    return event\n")
    (asset_dir / "mlops_core").mkdir()
    (asset_dir / "mlops_core" / "naming.py").write_text("PREFIX = 'up'\n")
    outdir = tmp_path_factory.mktemp("cdk.out")
    build_app(outdir, asset_dir)
    return outdir


@pytest.fixture(scope="module")
def endpoint_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    config = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
    urllib.request.urlopen(urllib.request.Request(
        f"{url}/moto-api/config", data=json.dumps(config).encode(), method="POST",
        headers={"Content-Type": "application/json"})).read()
    yield url
    server.stop()


@pytest.fixture(scope="module")
def deployment(cdk_out, endpoint_url):
    return provision(cdk_out, STACK, endpoint_url=endpoint_url, region=REGION)


@pytest.fixture(scope="module")
def aws(endpoint_url):
    def client(service):
        return boto3.client(service, endpoint_url=endpoint_url, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    return client


def test_every_resource_type_in_the_template_is_supported(cdk_out):
    template = json.loads((cdk_out / f"{STACK}.template.json").read_text())
    types = {r["Type"] for r in template["Resources"].values()} - {"AWS::CDK::Metadata"}
    assert types <= SUPPORTED_RESOURCE_TYPES


def test_outputs_are_resolved_and_written_in_the_cdk_outputs_file_shape(deployment):
    outputs = deployment.outputs
    assert outputs["DataBucketName"].startswith("provisionerteststack-data")
    assert outputs["RegistryArn"] == f"arn:aws:sagemaker:{REGION}:123456789012:model-package-group/{STACK}-penguins"
    assert outputs["PipelineArn"].startswith(f"arn:aws:states:{REGION}:123456789012:stateMachine:Pipeline")
    assert deployment.outputs_file_payload() == {STACK: outputs}


def test_data_bucket_is_versioned_kms_encrypted_private_and_logged(deployment, aws):
    s3_client, bucket = aws("s3"), deployment.outputs["DataBucketName"]
    assert s3_client.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    rule = s3_client.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    key_arn = deployment.resources["DataKey17AFBB84"].attributes["Arn"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    block = s3_client.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    logging_enabled = s3_client.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]
    assert logging_enabled["TargetPrefix"] == "data/"
    assert logging_enabled["TargetBucket"].startswith("provisionerteststack-accesslogs")
    policy = json.loads(s3_client.get_bucket_policy(Bucket=bucket)["Policy"])
    assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    lifecycle = s3_client.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30


def test_bucket_notifications_custom_resource_turns_on_eventbridge(deployment):
    # moto 5.2.5 stores EventBridgeConfiguration (and sends the events) but its
    # GetBucketNotificationConfiguration never returns it: read the stored configuration.
    from moto.s3.models import s3_backends

    bucket = s3_backends["123456789012"]["aws"].buckets[deployment.outputs["DataBucketName"]]
    assert bucket.notification_configuration.event_bridge == {}


def test_kms_key_has_rotation_enabled(deployment, aws):
    key_id = deployment.resources["DataKey17AFBB84"].physical_id
    assert aws("kms").get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True


def test_lambda_is_created_from_its_asset_with_environment_and_role(deployment, aws):
    fn = next(f for f in deployment.functions() if f.logical_id.startswith("StartPipeline"))
    config = aws("lambda").get_function(FunctionName=fn.name)["Configuration"]
    assert config["Handler"] == "handler.main"
    assert config["Runtime"] == "python3.11"
    assert (config["Timeout"], config["MemorySize"]) == (30, 256)
    assert config["Environment"]["Variables"] == {"DATA_BUCKET": deployment.outputs["DataBucketName"],
                                                  "POLL_SECONDS": "1"}
    assert config["Role"] == fn.role_arn and fn.role_arn.startswith("arn:aws:iam::123456789012:role/ProvisionerTestStack-")
    assert fn.arn == deployment.outputs["FunctionArn"]
    assert fn.environment == config["Environment"]["Variables"]
    body = aws("s3").get_object(Bucket=fn.code_bucket, Key=fn.code_key)["Body"].read()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert sorted(archive.namelist()) == ["handler.py", "mlops_core/naming.py"]
    assert fn.code_bucket == "cdk-hnb659fds-assets-123456789012-us-east-1"


def test_rule_targets_the_lambda_with_retry_policy_and_dead_letter_queue(deployment, aws):
    rule = deployment.rules()[0]
    assert rule.event_pattern["detail"]["bucket"]["name"] == [deployment.outputs["DataBucketName"]]
    stored = aws("events").list_targets_by_rule(Rule=rule.name)["Targets"]
    assert stored == rule.targets
    target = stored[0]
    assert target["Arn"] == deployment.outputs["FunctionArn"]
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 2
    assert target["DeadLetterConfig"]["Arn"] == deployment.outputs["QueueArn"]
    described = aws("events").describe_rule(Name=rule.name)
    assert json.loads(described["EventPattern"]) == rule.event_pattern
    policy = json.loads(aws("lambda").get_policy(FunctionName=deployment.outputs["FunctionArn"])["Policy"])
    assert policy["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}


def test_state_machine_definition_carries_the_resolved_lambda_arn(deployment, aws):
    machine = deployment.state_machines()[0]
    described = aws("stepfunctions").describe_state_machine(stateMachineArn=machine.arn)
    definition = json.loads(described["definition"])
    assert definition["States"]["Describe"]["Result"] == {"function": deployment.outputs["FunctionArn"]}
    assert machine.definition == definition
    assert described["roleArn"] == machine.role_arn


def test_settings_parameter_holds_json_with_tokens_resolved(deployment, aws):
    value = aws("ssm").get_parameter(Name=f"/{STACK}/models/penguins")["Parameter"]["Value"]
    assert json.loads(value) == {
        "model": "penguins", "test_size": 0.2, "model_package_group": f"{STACK}-penguins",
        "data_bucket": deployment.outputs["DataBucketName"],
        "queue": next(iter(deployment.of_type("AWS::SQS::Queue").values())).attributes["QueueUrl"],
    }


def test_model_package_group_exists(deployment, aws):
    group = aws("sagemaker").describe_model_package_group(ModelPackageGroupName=f"{STACK}-penguins")
    assert group["ModelPackageGroupArn"] == deployment.outputs["RegistryArn"]
    assert group["ModelPackageGroupDescription"] == "penguins models"


def test_roles_carry_assume_policy_inline_policies_and_managed_arns(deployment, aws):
    fn = next(f for f in deployment.functions() if f.logical_id.startswith("StartPipeline"))
    role = next(r for r in deployment.roles() if r.arn == fn.role_arn)
    assert role.assume_role_policy["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert role.managed_policy_arns == ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    (name, document), = role.inline_policies.items()
    resources = [r for s in document["Statement"] for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])]
    assert f"arn:aws:s3:::{deployment.outputs['DataBucketName']}/*" in resources
    stored = aws("iam").get_role_policy(RoleName=role.name, PolicyName=name)["PolicyDocument"]
    assert stored == document


def test_generated_names_follow_cloudformation_rules(deployment):
    for resource in deployment.resources.values():
        if resource.type == "AWS::S3::Bucket":
            assert len(resource.physical_id) <= 63 and resource.physical_id == resource.physical_id.lower()
        if resource.type in ("AWS::IAM::Role", "AWS::Lambda::Function"):
            assert len(resource.physical_id) <= 64
            assert resource.physical_id.startswith(f"{STACK}-")


def test_every_resource_but_cdk_metadata_is_created(deployment, cdk_out):
    template = json.loads((cdk_out / f"{STACK}.template.json").read_text())
    assert set(deployment.resources) == set(template["Resources"]) - {"CDKMetadata"}
    assert set(deployment.skipped) == {"CDKMetadata"} & set(template["Resources"])
