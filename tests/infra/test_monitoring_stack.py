"""Monitoring in the template: MonitorEndpoint, the Scheduler schedules and their role, the drift
and model-quality alarms, the alarm -> StartPipeline rule, the check-job rule and the dashboards."""

from __future__ import annotations

import copy
import json

import pytest

from tests.infra.conftest import TWO_MODELS
from tests.infra.helpers import as_list, render

PENGUINS = "MlopsStack-penguins"
HOUSES = "MlopsStack-house-prices"


@pytest.fixture(scope="module")
def template(source_root, tmp_path_factory) -> dict:
    import aws_cdk as cdk

    from infra import application
    from mlops.config import parse_config

    raw = copy.deepcopy(TWO_MODELS)
    raw["models"][0]["monitoring"] = {"schedule_minutes": 15, "model_quality": {"threshold": 0.8},
                                      "alarms": {"evaluation_periods": 2}, "retraining": {"schedule_days": 7}}
    raw["models"][1]["monitoring"] = {"model_quality": {"enabled": False}, "retraining": {"on_alarm": False}}
    config = parse_config(raw)
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    application.configure(app)
    application.build(app, config, source_root=source_root)
    app.synth()  # cdk-nag clean, or this raises
    return json.loads((outdir / f"{config.stack_name}.template.json").read_text())


def _of_type(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _one(template: dict, kind: str, prefix: str) -> tuple[str, dict]:
    [found] = [(k, v["Properties"]) for k, v in _of_type(template, kind).items() if k.startswith(prefix)]
    return found


def _statements(template: dict, role_id: str) -> list[dict]:
    return [statement for policy in _of_type(template, "AWS::IAM::Policy").values()
            if {"Ref": role_id} in policy["Properties"]["Roles"]
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]]


def _schedules(template: dict) -> dict[str, dict]:
    return {v["Properties"]["Name"]: v["Properties"] for v in _of_type(template, "AWS::Scheduler::Schedule").values()}


def test_each_monitored_model_gets_its_check_schedules_in_the_stacks_group(template):
    schedules = _schedules(template)
    assert set(schedules) == {f"{PENGUINS}-data-quality", f"{PENGUINS}-model-quality", f"{HOUSES}-data-quality",
                              "MlopsStack-penguins-retrain"}
    [group] = [v["Properties"] for v in _of_type(template, "AWS::Scheduler::ScheduleGroup").values()]
    assert group["Name"] == "MlopsStack-monitoring"
    monitor, _ = _one(template, "AWS::Lambda::Function", "MonitorEndpointFunction")
    queue, _ = _one(template, "AWS::SQS::Queue", "UploadTriggerDeadLetters")
    check = schedules[f"{PENGUINS}-data-quality"]
    assert check["ScheduleExpression"] == "rate(15 minutes)" and check["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert check["Target"]["Arn"] == {"Fn::GetAtt": [monitor, "Arn"]}
    assert json.loads(check["Target"]["Input"]) == {"model": "penguins", "check": "data-quality"}
    assert check["Target"]["RetryPolicy"] == {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 4}
    assert check["Target"]["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue, "Arn"]}}
    assert schedules[f"{HOUSES}-data-quality"]["ScheduleExpression"] == "rate(1 hour)"


def test_the_scheduler_role_may_only_invoke_the_monitor_function(template):
    monitor, _ = _one(template, "AWS::Lambda::Function", "MonitorEndpointFunction")
    role_id = _schedules(template)[f"{PENGUINS}-data-quality"]["Target"]["RoleArn"]["Fn::GetAtt"][0]
    trust = template["Resources"][role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust[0]["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust[0]["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    invokes = [s for s in _statements(template, role_id) if "lambda:InvokeFunction" in as_list(s["Action"])]
    assert invokes == [{"Action": "lambda:InvokeFunction", "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [monitor, "Arn"]}}]
    actions = {action for s in _statements(template, role_id) for action in as_list(s["Action"])}
    assert actions == {"lambda:InvokeFunction", "sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"}


def test_a_fixed_retraining_schedule_sends_one_episode_per_firing_to_start_pipeline(template):
    schedule = _schedules(template)["MlopsStack-penguins-retrain"]
    start, _ = _one(template, "AWS::Lambda::Function", "StartPipelineFunction")
    assert schedule["ScheduleExpression"] == "rate(7 days)"
    assert schedule["Target"]["Arn"] == {"Fn::GetAtt": [start, "Arn"]}
    request = json.loads(schedule["Target"]["Input"])
    assert (request["source"], request["detail-type"]) == ("mlops.retraining", "Retraining Requested")
    assert request["detail"]["model"] == "penguins"
    assert request["detail"]["episode"] == "schedule|<aws.scheduler.scheduled-time>"


def test_the_drift_alarm_watches_the_drifted_share_per_schedule_period(template):
    _, alarm = _one(template, "AWS::CloudWatch::Alarm", "MonitoringAlarmsPenguinsDrift")
    assert alarm["AlarmName"] == f"{PENGUINS}-drift"
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "aws/sagemaker/Endpoints/data-metrics", "drifted_feature_share", "Maximum")
    assert sorted(alarm["Dimensions"], key=lambda d: d["Name"]) == [
        {"Name": "Endpoint", "Value": PENGUINS}, {"Name": "MonitoringSchedule", "Value": f"{PENGUINS}-data-quality"}]
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["Threshold"]) == (900, 2, 0)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold" and alarm["TreatMissingData"] == "notBreaching"


def test_the_model_quality_alarm_exists_only_with_a_threshold(template):
    _, alarm = _one(template, "AWS::CloudWatch::Alarm", "MonitoringAlarmsPenguinsModelQuality")
    assert alarm["AlarmName"] == f"{PENGUINS}-model-quality"
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "aws/sagemaker/Endpoints/model-metrics", "accuracy", "Minimum")
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0.8, "LessThanThreshold")
    assert {"Name": "MonitoringSchedule", "Value": f"{PENGUINS}-model-quality"} in alarm["Dimensions"]
    assert not [k for k in _of_type(template, "AWS::CloudWatch::Alarm") if k.startswith(
        "MonitoringAlarmsHousePricesModelQuality")]


def test_alarms_of_models_retrained_on_alarm_start_pipeline(template):
    _, rule = _one(template, "AWS::Events::Rule", "AlarmRetrainingRule")
    assert rule["EventPattern"] == {
        "source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
        "account": [{"Ref": "AWS::AccountId"}],
        "detail": {"alarmName": [f"{PENGUINS}-drift", f"{PENGUINS}-model-quality"], "state": {"value": ["ALARM"]}},
    }
    start, _ = _one(template, "AWS::Lambda::Function", "StartPipelineFunction")
    queue, _ = _one(template, "AWS::SQS::Queue", "UploadTriggerDeadLetters")
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [start, "Arn"]}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue, "Arn"]}}
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 4}


def test_start_pipeline_may_keep_the_cooldown_records_only(template):
    start_role = _one(template, "AWS::Lambda::Function", "StartPipelineFunction")[1]["Role"]["Fn::GetAtt"][0]
    writes = [s for s in _statements(template, start_role) if "s3:PutObject" in as_list(s["Action"])]
    assert [render(r) for s in writes for r in as_list(s["Resource"])] == ["<<TOKEN>>/models/*/retraining/*"]


def test_monitor_endpoint_is_configured_for_its_checks_and_jobs(template):
    _, function = _one(template, "AWS::Lambda::Function", "MonitorEndpointFunction")
    assert (function["MemorySize"], function["Timeout"]) == (2048, 600)
    variables = function["Environment"]["Variables"]
    assert variables["SETTINGS_PARAMETER_PREFIX"] == "/MlopsStack/models/"
    assert {"ARTIFACTS_BUCKET", "DATA_BUCKET", "MONITOR_JOB_ROLE_ARN", "MONITOR_JOB_IMAGE_URI",
            "MONITOR_JOB_CODE_URI", "MONITOR_JOB_KMS_KEY_ARN"} <= set(variables)
    assert "sagemaker-scikit-learn:1.9-0" in variables["MONITOR_JOB_IMAGE_URI"]
    assert "MonitorFunctionName" in template["Outputs"]


def test_monitor_endpoint_puts_metrics_only_in_the_monitoring_namespaces(template):
    role = _one(template, "AWS::Lambda::Function", "MonitorEndpointFunction")[1]["Role"]["Fn::GetAtt"][0]
    [put] = [s for s in _statements(template, role) if "cloudwatch:PutMetricData" in as_list(s["Action"])]
    assert put["Resource"] == "*"
    assert put["Condition"] == {"StringEquals": {"cloudwatch:namespace": [
        "aws/sagemaker/Endpoints/data-metrics", "aws/sagemaker/Endpoints/model-metrics"]}}


def test_monitor_endpoint_starts_only_its_check_jobs_and_passes_only_the_execution_role(template):
    role = _one(template, "AWS::Lambda::Function", "MonitorEndpointFunction")[1]["Role"]["Fn::GetAtt"][0]
    statements = _statements(template, role)
    [jobs] = [s for s in statements if "sagemaker:CreateProcessingJob" in as_list(s["Action"])]
    assert sorted(render(r).rsplit(":", 1)[-1] for r in jobs["Resource"]) == [
        "processing-job/house-prices-*-dq", "processing-job/house-prices-*-mq",
        "processing-job/penguins-*-dq", "processing-job/penguins-*-mq"]
    [passes] = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert passes["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
    writes = [render(r) for s in statements if "s3:PutObject" in as_list(s["Action"]) for r in as_list(s["Resource"])]
    assert writes == ["<<TOKEN>>/monitoring/*"]


def test_finished_check_jobs_come_back_to_monitor_endpoint(template):
    _, rule = _one(template, "AWS::Events::Rule", "MonitorJobsRule")
    assert rule["EventPattern"]["detail"] == {"ProcessingJobStatus": ["Completed", "Failed", "Stopped"],
                                              "ProcessingJobName": [{"suffix": "-dq"}, {"suffix": "-mq"}]}
    monitor, _ = _one(template, "AWS::Lambda::Function", "MonitorEndpointFunction")
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": [monitor, "Arn"]}


def test_each_monitored_model_has_a_dashboard_with_drift_per_feature(template):
    boards = {v["Properties"]["DashboardName"]: render(v["Properties"]["DashboardBody"])
              for v in _of_type(template, "AWS::CloudWatch::Dashboard").values()}
    assert set(boards) == {"MlopsStack-penguins-monitoring", "MlopsStack-house-prices-monitoring"}
    body = boards["MlopsStack-penguins-monitoring"]
    for text in ("SEARCH(", "feature_baseline_drift", "drifted_feature_share", "Invocation5XXErrors",
                 "Invocation4XXErrors", "ModelLatency", "ExecutionsSucceeded", "ExecutionsFailed", "accuracy"):
        assert text in body, text
    assert "accuracy" not in boards["MlopsStack-house-prices-monitoring"]
