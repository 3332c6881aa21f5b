"""The less central types and CDK's custom resources, from a second small CDK app: bucket
deployment, layer-only assets, inline code, log retention, async invoke config, SNS, alarms,
dashboards, custom event buses, managed policies, parameters and conditions."""

from __future__ import annotations

import json
import urllib.request

import aws_cdk as cdk
import boto3
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3_deployment
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from moto.server import ThreadedMotoServer

from mlops.localcloud import assets
from mlops.localcloud.provisioner import provision

STACK = "ProvisionerExtrasStack"
REGION = "us-east-1"


def build_app(outdir, tmp):
    (tmp / "seed").mkdir()
    (tmp / "seed" / "readme.txt").write_text("seed data\n")
    (tmp / "layer" / "python").mkdir(parents=True)
    (tmp / "layer" / "python" / "heavy.py").write_text("# imagine 100 MB of wheels\n")
    (tmp / "fn").mkdir()
    (tmp / "fn" / "app.py").write_text("def main(event, context):\n    return 'ok'\n")

    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, STACK)
    stage = cdk.CfnParameter(stack, "Stage", default="dev")
    is_prod = cdk.CfnCondition(stack, "IsProd", expression=cdk.Fn.condition_equals(stage.value_as_string, "prod"))
    sqs.CfnQueue(stack, "ProdOnlyQueue").cfn_options.condition = is_prod

    key = kms.Key(stack, "Key", alias="alias/extras-key")
    site = s3.Bucket(stack, "Site", auto_delete_objects=True, removal_policy=cdk.RemovalPolicy.DESTROY,
                     encryption_key=key)
    s3_deployment.BucketDeployment(
        stack, "Seed", destination_bucket=site, destination_key_prefix="seed/",
        sources=[s3_deployment.Source.asset(str(tmp / "seed")),
                 s3_deployment.Source.json_data("config.json", {"bucket": site.bucket_name, "stage": "dev"})])

    failures = sqs.Queue(stack, "Failures")
    layer = lambda_.LayerVersion(stack, "Deps", code=lambda_.Code.from_asset(str(tmp / "layer")),
                                 compatible_runtimes=[lambda_.Runtime.PYTHON_3_11])
    worker = lambda_.Function(
        stack, "Worker", runtime=lambda_.Runtime.PYTHON_3_11, handler="app.main",
        code=lambda_.Code.from_asset(str(tmp / "fn")), layers=[layer], log_retention=logs.RetentionDays.ONE_WEEK,
        on_failure=destinations.SqsDestination(failures), retry_attempts=1, max_event_age=cdk.Duration.minutes(5))
    inline = lambda_.Function(stack, "Inline", runtime=lambda_.Runtime.PYTHON_3_11, handler="index.handler",
                              code=lambda_.Code.from_inline("def handler(event, context):\n    return 1\n"))
    policy = iam.ManagedPolicy(stack, "ReadSite", statements=[iam.PolicyStatement(
        actions=["s3:GetObject"], resources=[site.arn_for_objects("*")])])
    inline.role.add_managed_policy(policy)

    alerts = sns.Topic(stack, "Alerts")
    inbox = sqs.Queue(stack, "AlertInbox")
    alerts.add_subscription(subscriptions.SqsSubscription(inbox, raw_message_delivery=True))
    alarm = worker.metric_errors(period=cdk.Duration.minutes(1)).create_alarm(
        stack, "WorkerErrors", threshold=1, evaluation_periods=1)
    alarm.add_alarm_action(cw_actions.SnsAction(alerts))
    dashboard = cloudwatch.Dashboard(stack, "Board")
    dashboard.add_widgets(cloudwatch.AlarmWidget(alarm=alarm, title="errors"))
    logs.LogGroup(stack, "AuditLog", log_group_name=f"/{STACK}/audit", retention=logs.RetentionDays.ONE_MONTH)

    bus = events.EventBus(stack, "Bus", event_bus_name=f"{STACK}-bus")
    events.Rule(stack, "OnBus", event_bus=bus, event_pattern=events.EventPattern(source=["mlops.test"]),
                targets=[targets.SqsQueue(inbox)])
    cdk.CfnOutput(stack, "SiteBucket", value=site.bucket_name)
    cdk.CfnOutput(stack, "TopicArn", value=alerts.topic_arn)
    app.synth()


@pytest.fixture(scope="module")
def endpoint_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    urllib.request.urlopen(urllib.request.Request(
        f"{url}/moto-api/config", data=json.dumps({"lambda": {"use_docker": False}}).encode(), method="POST",
        headers={"Content-Type": "application/json"})).read()
    yield url
    server.stop()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, endpoint_url):
    outdir = tmp_path_factory.mktemp("cdk.out")
    build_app(outdir, tmp_path_factory.mktemp("sources"))
    return provision(outdir, STACK, endpoint_url=endpoint_url, region=REGION)


@pytest.fixture(scope="module")
def aws(endpoint_url):
    def client(service):
        return boto3.client(service, endpoint_url=endpoint_url, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    return client


def _one(deployment, resource_type, prefix=""):
    return next(r for lid, r in deployment.of_type(resource_type).items() if lid.startswith(prefix))


def test_bucket_deployment_unpacks_sources_with_markers_replaced(deployment, aws):
    bucket = deployment.outputs["SiteBucket"]
    keys = {o["Key"] for o in aws("s3").list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {"seed/readme.txt", "seed/config.json"}
    config = json.loads(aws("s3").get_object(Bucket=bucket, Key="seed/config.json")["Body"].read())
    assert config == {"bucket": bucket, "stage": "dev"}


def test_layer_only_assets_are_not_uploaded_and_the_layer_gets_a_placeholder(deployment, aws):
    statuses = {p.asset.display_name: p.status for p in deployment.assets}
    assert statuses["Deps/Code"] == assets.LAYER_PLACEHOLDER
    assert statuses["Worker/Code"] == assets.UPLOADED
    assert any(s == assets.LAYER_PLACEHOLDER for name, s in statuses.items() if "AwsCliLayer" in name)
    layer_arn = _one(deployment, "AWS::Lambda::LayerVersion", "Deps").physical_id
    worker = next(f for f in deployment.functions() if f.logical_id.startswith("Worker"))
    assert worker.layers == [layer_arn]
    name, version = layer_arn.split(":")[-2:]
    layer = aws("lambda").get_layer_version(LayerName=name, VersionNumber=int(version))
    assert layer["Content"]["CodeSize"] < 1024


def test_inline_code_function_is_created_and_reported_as_inline(deployment, aws):
    fn = next(f for f in deployment.functions() if f.logical_id.startswith("Inline"))
    assert fn.code_bucket is None and "def handler" in fn.inline_code
    assert aws("lambda").get_function(FunctionName=fn.name)["Configuration"]["Handler"] == "index.handler"


def test_log_retention_and_log_groups(deployment, aws):
    worker = next(f for f in deployment.functions() if f.logical_id.startswith("Worker"))
    groups = {g["logGroupName"]: g for g in aws("logs").describe_log_groups()["logGroups"]}
    assert groups[f"/aws/lambda/{worker.name}"]["retentionInDays"] == 7
    assert groups[f"/{STACK}/audit"]["retentionInDays"] == 30


def test_async_invoke_config_has_retries_age_and_failure_destination(deployment, aws):
    worker = next(f for f in deployment.functions() if f.logical_id.startswith("Worker"))
    config = aws("lambda").get_function_event_invoke_config(FunctionName=worker.name, Qualifier="$LATEST")
    assert (config["MaximumRetryAttempts"], config["MaximumEventAgeInSeconds"]) == (1, 300)
    failures = _one(deployment, "AWS::SQS::Queue", "Failures").attributes["Arn"]
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == failures


def test_topic_subscription_alarm_and_dashboard(deployment, aws):
    topic = deployment.outputs["TopicArn"]
    subscription, = aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert subscription["Endpoint"] == _one(deployment, "AWS::SQS::Queue", "AlertInbox").attributes["Arn"]
    alarm_name = _one(deployment, "AWS::CloudWatch::Alarm").physical_id
    alarm, = aws("cloudwatch").describe_alarms(AlarmNames=[alarm_name])["MetricAlarms"]
    assert alarm["AlarmActions"] == [topic] and alarm["Threshold"] == 1.0
    dashboard = _one(deployment, "AWS::CloudWatch::Dashboard").physical_id
    body = json.loads(aws("cloudwatch").get_dashboard(DashboardName=dashboard)["DashboardBody"])
    assert body["widgets"][0]["properties"]["annotations"]["alarms"] == [alarm["AlarmArn"]]


def test_kms_alias_points_at_the_key(deployment, aws):
    key_id = _one(deployment, "AWS::KMS::Key").physical_id
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in aws("kms").list_aliases()["Aliases"]}
    assert aliases["alias/extras-key"] == key_id


def test_rule_on_a_custom_bus(deployment, aws):
    rule, = deployment.rules()
    assert rule.event_bus == f"{STACK}-bus"
    assert _one(deployment, "AWS::Events::Rule").physical_id == f"{STACK}-bus|{rule.name}"
    stored = aws("events").list_targets_by_rule(Rule=rule.name, EventBusName=rule.event_bus)["Targets"]
    assert stored[0]["Arn"] == _one(deployment, "AWS::SQS::Queue", "AlertInbox").attributes["Arn"]


def test_managed_policy_is_attached_and_reported_on_the_role(deployment, aws):
    fn = next(f for f in deployment.functions() if f.logical_id.startswith("Inline"))
    role = next(r for r in deployment.roles() if r.arn == fn.role_arn)
    policy_arn = _one(deployment, "AWS::IAM::ManagedPolicy").physical_id
    assert policy_arn in role.managed_policy_arns
    assert role.managed_policies[policy_arn]["Statement"][0]["Action"] == "s3:GetObject"
    attached = aws("iam").list_attached_role_policies(RoleName=role.name)["AttachedPolicies"]
    assert policy_arn in {p["PolicyArn"] for p in attached}


def test_false_conditions_skip_resources(deployment):
    assert deployment.skipped["ProdOnlyQueue"] == "condition IsProd is false"
