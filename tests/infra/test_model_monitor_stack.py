"""monitoring.engine "model-monitor" in the template (penguins; house-prices stays serverless, in a
VPC stack): the deployment stage after RecordDeployed and its requests in SageMaker's shapes,
the IAM scoped to the engine's endpoints, no Scheduler drift schedule for such a model, the same
drift alarm, and the rule that brings finished executions to MonitorEndpoint."""

from __future__ import annotations

import copy
import json

import pytest

from tests.infra.conftest import TWO_MODELS, Synthesized
from tests.infra.helpers import TOKEN, as_list, render
from tests.infra.test_deployment_access import ARN, INLINE_POLICY_LIMIT, grants, rendered, resources

PENGUINS, HOUSES = "MlopsStack-penguins", "MlopsStack-house-prices"
SCHEDULE = f"{PENGUINS}-data-quality"
ANALYZER = "156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer"


def sagemaker(resource: str) -> str:
    return ARN.format(service="sagemaker", resource=resource)


@pytest.fixture(scope="module")
def stack(source_root, tmp_path_factory) -> Synthesized:
    import aws_cdk as cdk

    from infra import application
    from mlops.config import parse_config

    raw = copy.deepcopy(TWO_MODELS)
    raw["network"] = {"vpc": {"enabled": True}}
    raw["models"][0]["monitoring"] = {"engine": "model-monitor", "schedule_minutes": 120, "window_minutes": 180}
    config = parse_config(raw)
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    application.configure(app)
    application.build(app, config, source_root=source_root)
    app.synth()  # cdk-nag clean, or this raises
    return Synthesized(outdir=outdir, template=json.loads((outdir / "MlopsStack.template.json").read_text()),
                       config=config)


@pytest.fixture(scope="module")
def machine(stack) -> dict:
    return stack.resource("AWS::StepFunctions::StateMachine", "DeploymentPipelineStateMachine")


@pytest.fixture(scope="module")
def states(machine) -> dict:
    return json.loads(render(machine["Properties"]["DefinitionString"]))["States"]


def test_a_deployed_version_goes_on_to_its_model_monitor_schedule(states):
    assert states["RecordDeployed"]["Next"] == "DriftMonitoringEngine"
    [engine] = states["DriftMonitoringEngine"]["Choices"]
    assert engine["And"] == [{"Variable": "$.monitoring.enabled", "BooleanEquals": True},
                             {"Variable": "$.monitoring.engine", "StringEquals": "model-monitor"}]
    assert (engine["Next"], states["DriftMonitoringEngine"]["Default"]) == ("ReadDriftBaselines", "Succeeded")
    assert states["ReadDriftBaselines"]["Resource"].endswith(":states:::aws-sdk:sagemaker:describeModelPackage")
    assert states["HasDriftBaselines"]["Default"] == "NoDriftBaselines"


def test_the_job_definition_request_carries_the_contracts_fields(states):
    request = states["CreateDataQualityJobDefinition"]["Parameters"]
    assert request["JobDefinitionName.$"] == "$.monitoring.job_definition"
    assert request["DataQualityAppSpecification"] == {"ImageUri": ANALYZER}
    assert request["DataQualityBaselineConfig"] == {
        "ConstraintsResource": {"S3Uri.$": "$.drift_baselines.constraints"},
        "StatisticsResource": {"S3Uri.$": "$.drift_baselines.statistics"}}
    assert request["DataQualityJobInput"] == {"EndpointInput": {
        "EndpointName.$": "$.names.endpoint", "LocalPath": "/opt/ml/processing/input/endpoint",
        "S3InputMode": "File", "S3DataDistributionType": "FullyReplicated"}}
    output = request["DataQualityJobOutputConfig"]
    assert output["MonitoringOutputs"] == [{"S3Output": {"S3Uri": f"s3://{TOKEN}/monitoring",
                                                         "LocalPath": "/opt/ml/processing/output",
                                                         "S3UploadMode": "EndOfJob"}}]
    assert output["KmsKeyId"] == TOKEN and request["RoleArn"] == TOKEN
    assert request["JobResources"]["ClusterConfig"] == {
        "InstanceCount.$": "$.monitoring.cluster.InstanceCount", "InstanceType.$": "$.monitoring.cluster.InstanceType",
        "VolumeSizeInGB.$": "$.monitoring.cluster.VolumeSizeInGB", "VolumeKmsKeyId": TOKEN}
    network = request["NetworkConfig"]
    assert network["EnableNetworkIsolation"] is True and network["EnableInterContainerTrafficEncryption"] is True
    assert set(network["VpcConfig"]) == {"SecurityGroupIds", "Subnets"}
    assert request["StoppingCondition"] == {"MaxRuntimeInSeconds.$": "$.monitoring.max_runtime_seconds"}


def test_the_stack_values_are_its_key_role_and_artifacts_bucket(machine, stack):
    request = json.loads(_named(machine["Properties"]["DefinitionString"]))["States"][
        "CreateDataQualityJobDefinition"]["Parameters"]
    role = stack.logical_id("AWS::IAM::Role", "SageMakerExecutionRole")
    key = stack.logical_id("AWS::KMS::Key", "StorageKey")
    bucket = stack.logical_id("AWS::S3::Bucket", "StorageArtifacts")
    assert request["RoleArn"] == f"<{role}.Arn>"
    assert request["DataQualityJobOutputConfig"]["KmsKeyId"] == f"<{key}.Arn>"
    assert request["JobResources"]["ClusterConfig"]["VolumeKmsKeyId"] == f"<{key}.Arn>"
    assert request["DataQualityJobOutputConfig"]["MonitoringOutputs"][0]["S3Output"]["S3Uri"] == \
        f"s3://<{bucket}>/monitoring"


def _named(value) -> str:
    """The definition with each reference written as <Logical> or <Logical.Attribute>."""
    def name(part):
        if isinstance(part, str):
            return part
        if "Ref" in part:
            return f"<{part['Ref']}>"
        resource, attribute = part["Fn::GetAtt"]
        return f"<{resource}.{attribute}>"
    return "".join(name(part) for part in value["Fn::Join"][1])


def test_the_schedule_is_created_or_updated_from_the_input(states):
    config = {"ScheduleConfig.$": "$.monitoring.schedule_config",
              "MonitoringJobDefinitionName.$": "$.monitoring.job_definition", "MonitoringType": "DataQuality"}
    for name in ("CreateMonitoringSchedule", "UpdateMonitoringSchedule"):
        request = states[name]["Parameters"]
        assert request["MonitoringScheduleName.$"] == "$.monitoring.schedule"
        assert request["MonitoringScheduleConfig"] == config
    assert states["FindMonitoringSchedule"]["Catch"][0]["Next"] == "CreateMonitoringSchedule"
    pending, previous = states["ExistingSchedule"]["Choices"]
    assert (pending["StringEquals"], pending["Next"]) == ("Pending", "WaitForPendingSchedule")
    assert previous["Next"] == "RememberJobDefinition" and states["ExistingSchedule"]["Default"] == \
        "UpdateMonitoringSchedule"
    scheduled = states["ScheduleStatus"]["Choices"][0]
    assert (scheduled["StringEquals"], scheduled["Next"]) == ("Scheduled", "PreviousJobDefinition")


def test_the_previous_job_definition_is_deleted_best_effort(states):
    delete = states["DeletePreviousJobDefinition"]
    assert delete["Parameters"] == {"JobDefinitionName.$": "$.previous_monitoring.job_definition"}
    assert delete["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.monitoring_cleanup_failure",
                                "Next": "Succeeded"}]
    assert states["OtherJobDefinition"]["Choices"][0]["StringEqualsPath"] == "$.monitoring.job_definition"


def test_a_failed_set_up_ends_monitoring_not_scheduled_saying_the_endpoint_serves(states):
    assert states["MonitoringNotScheduled"] == {"Type": "Fail", "Error": "MonitoringNotScheduled",
                                                "CausePath": "$.failure.Cause"}
    cause = states["MonitoringNotScheduledCause"]["Parameters"]["Cause.$"]
    assert "serves model package {}" in cause and "but drift monitoring was not scheduled" in cause
    monitoring = {"ReadDriftBaselines", "CreateMonitoringSchedule", "UpdateMonitoringSchedule",
                  "DescribeMonitoringSchedule", "FindDataQualityJobDefinition"}
    for name in monitoring:  # never RecordFailure: the package is Deployed
        assert states[name]["Catch"][0]["Next"] == "MonitoringNotScheduledCause", name
    assert states["CreateDataQualityJobDefinition"]["Catch"][0]["Next"] == "FindDataQualityJobDefinition"


def test_the_state_machine_acts_only_on_the_engines_endpoint(stack):
    found = grants(stack, "DeploymentPipelineStateMachineRole")
    definitions = {sagemaker(f"data-quality-job-definition/{name}-dq-*") for name in (PENGUINS, PENGUINS.lower())}
    schedules = {sagemaker(f"monitoring-schedule/{name}") for name in (SCHEDULE, SCHEDULE.lower())}
    for action in ("createDataQualityJobDefinition", "describeDataQualityJobDefinition",
                   "deleteDataQualityJobDefinition"):
        assert resources(found, f"sagemaker:{action}") == definitions
    for action in ("createMonitoringSchedule", "describeMonitoringSchedule", "updateMonitoringSchedule"):
        assert resources(found, f"sagemaker:{action}") == schedules
    assert definitions | schedules <= resources(found, "sagemaker:AddTags")
    assert not any(HOUSES.lower() in r.lower() for a in found if "onitoring" in a or "ataQuality" in a
                   for r in resources(found, a))


def test_the_state_machine_policy_still_fits_iams_inline_limit(stack):
    documents = [policy["Properties"]["PolicyDocument"] for logical_id, policy
                 in stack.resources("AWS::IAM::Policy").items()
                 if logical_id.startswith("DeploymentPipelineStateMachineRole")]
    assert sum(len(json.dumps(rendered(d), separators=(",", ":"))) for d in documents) < INLINE_POLICY_LIMIT


def test_executions_publish_only_drift_metrics_as_the_execution_role(stack):
    found = grants(stack, "SageMakerExecutionRole")
    conditions = [condition for _, condition in found["cloudwatch:PutMetricData"]]
    assert {"StringEquals": {"cloudwatch:namespace": "aws/sagemaker/Endpoints/data-metrics"}} in conditions
    assert all(condition for condition in conditions)


def test_monitor_endpoint_may_list_the_settings_to_map_schedules_to_models(stack):
    found = grants(stack, "MonitorEndpointRole")
    assert resources(found, "ssm:GetParametersByPath") == {
        "arn:aws:ssm:us-east-1:123456789012:parameter/MlopsStack/models"}


def test_no_scheduler_drift_check_for_a_model_monitor_model(stack):
    names = {s["Properties"]["Name"] for s in stack.resources("AWS::Scheduler::Schedule").values()}
    assert names == {f"{PENGUINS}-model-quality", f"{HOUSES}-data-quality", f"{HOUSES}-model-quality"}


def test_the_drift_alarm_watches_the_same_metric_either_way(stack):
    alarms = {a["Properties"]["AlarmName"]: a["Properties"]
              for a in stack.resources("AWS::CloudWatch::Alarm").values()}
    drift = alarms[f"{PENGUINS}-drift"]
    assert (drift["Namespace"], drift["MetricName"], drift["Period"]) == (
        "aws/sagemaker/Endpoints/data-metrics", "drifted_feature_share", 7200)
    assert drift["Dimensions"] == [{"Name": "Endpoint", "Value": PENGUINS}, {"Name": "MonitoringSchedule",
                                                                            "Value": SCHEDULE}]


def test_finished_executions_of_the_stacks_schedules_reach_monitor_endpoint(stack):
    rule = stack.resource("AWS::Events::Rule", "ModelMonitorExecutionsRule")["Properties"]
    pattern = rule["EventPattern"]
    assert (pattern["source"], pattern["detail-type"]) == (["aws.sagemaker"], ["SageMaker Processing Job State Change"])
    assert pattern["detail"]["ProcessingJobStatus"] == ["Completed", "Failed", "Stopped"]
    assert {rendered(arn) for arn in pattern["detail"]["MonitoringScheduleArn"]} == schedules_arns()
    monitor = stack.logical_id("AWS::Lambda::Function", "MonitorEndpointFunction")
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [monitor, "Arn"]} and "DeadLetterConfig" in target
    assert as_list(target["RetryPolicy"]["MaximumRetryAttempts"]) == [4]


def schedules_arns() -> set[str]:
    return {sagemaker(f"monitoring-schedule/{name}") for name in (SCHEDULE, SCHEDULE.lower())}


def test_a_serverless_stack_has_no_model_monitor_stage(synthesized):
    definition = json.loads(render(synthesized.resource("AWS::StepFunctions::StateMachine",
                                                        "DeploymentPipelineStateMachine")["Properties"]
                                   ["DefinitionString"]))
    assert definition["States"]["RecordDeployed"]["Next"] == "Succeeded"
    assert "DriftMonitoringEngine" not in definition["States"]
    assert not any(k.startswith("ModelMonitorExecutions") for k in synthesized.resources("AWS::Events::Rule"))


def test_cfn_lint_finds_nothing_in_the_engines_template(stack):
    from pathlib import Path

    from cfnlint.api import ManualArgs, lint_file

    from tests.infra.test_compliance import ALLOWED_LINT_WARNINGS

    matches = lint_file(Path(stack.outdir / "MlopsStack.template.json"), ManualArgs(regions=["us-east-1"]))
    assert [f"{m.rule.id} {m.message}" for m in matches
            if m.rule.severity == "error" or (m.rule.severity == "warning" and m.rule.id not in ALLOWED_LINT_WARNINGS)
            ] == []
