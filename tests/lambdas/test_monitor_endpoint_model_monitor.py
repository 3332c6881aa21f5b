"""MonitorEndpoint with monitoring.engine "model-monitor", on moto: the state change of a finished
Model Monitor execution puts drifted_feature_share (Endpoint + MonitoringSchedule, at the metric
time) from the execution's reports; failed executions and other schedules publish nothing."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import boto3
import pytest

from lambdas.monitor_endpoint import handler
from mlops_core.monitoring import InvalidRequest
from mlops_core.monitoring.drift import check_drift
from tests.lambdas.builders import ACCOUNT, ARTIFACTS_BUCKET, DATA_BUCKET, PENGUINS_SETTINGS, REGION, SETTINGS_PREFIX
from tests.mlops_core.monitoring_captures import FEATURES, baseline, training_frame

ENDPOINT = "MlopsStack-penguins"
SCHEDULE = f"{ENDPOINT}-data-quality"
SETTINGS = {**PENGUINS_SETTINGS, "target": "label",
            "serving": {"enabled": True, "endpoint_name": ENDPOINT, "variant_name": "AllTraffic"},
            "monitoring": {"enabled": True, "engine": "model-monitor", "window_minutes": 60}}
REPORT = f"s3://{ARTIFACTS_BUCKET}/monitoring/{ENDPOINT}/{SCHEDULE}/2026/11/27/11"
DETAIL = {
    "ProcessingJobName": "model-monitoring-202611271100-0123abcd",
    "ProcessingJobArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:processing-job/model-monitoring-202611271100-0123abcd",
    "ProcessingJobStatus": "Completed",
    "ExitMessage": "CompletedWithViolations: Job completed successfully with 1 violations.",
    "MonitoringScheduleArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:monitoring-schedule/{SCHEDULE.lower()}",
    "Environment": {"sagemaker_endpoint_name": ENDPOINT, "sagemaker_monitoring_schedule_name": SCHEDULE,
                    "start_time": "2026-11-27T10:00:00Z", "end_time": "2026-11-27T11:00:00Z",
                    "metric_time": "2026-11-27T11:00:00Z", "publish_cloudwatch_metrics": "Enabled"},
    "ProcessingOutputConfig": {"Outputs": [{"OutputName": "monitoring_output", "S3Output": {
        "S3Uri": REPORT, "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"}}]},
    "ProcessingStartTime": 1795777200000, "ProcessingEndTime": 1795777500000,
}


def _event(**detail) -> dict:
    return {"version": "0", "id": "e-1", "detail-type": "SageMaker Processing Job State Change",
            "source": "aws.sagemaker", "account": ACCOUNT, "time": "2026-11-27T11:05:00Z", "region": REGION,
            "resources": [DETAIL["ProcessingJobArn"]], "detail": {**copy.deepcopy(DETAIL), **detail}}


@pytest.fixture
def stack(s3, ssm, monkeypatch):
    handler._clients.cache_clear()
    handler._ssm.cache_clear()
    for name, value in {"SETTINGS_PARAMETER_PREFIX": SETTINGS_PREFIX, "ARTIFACTS_BUCKET": ARTIFACTS_BUCKET,
                        "DATA_BUCKET": DATA_BUCKET}.items():
        monkeypatch.setenv(name, value)
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Value=json.dumps(SETTINGS), Type="String")
    yield s3
    handler._clients.cache_clear()
    handler._ssm.cache_clear()


def _reports(s3, *, shift: float) -> list[str]:
    """The execution's statistics.json and constraint_violations.json (Model Monitor's formats)."""
    statistics, constraints = baseline()
    frame = training_frame(400, seed=3)
    frame["x"] += shift
    outcome = check_drift([frame[FEATURES]], baseline=statistics, constraints=constraints)
    for name, document in (("statistics.json", outcome.statistics), ("constraint_violations.json", outcome.violations)):
        s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=f"{REPORT.split('/', 3)[3]}/{name}", Body=json.dumps(document))
    return outcome.drifted


def _share_points() -> list[dict]:
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    return cloudwatch.get_metric_statistics(
        Namespace="aws/sagemaker/Endpoints/data-metrics", MetricName="drifted_feature_share",
        Dimensions=[{"Name": "Endpoint", "Value": ENDPOINT}, {"Name": "MonitoringSchedule", "Value": SCHEDULE}],
        StartTime=datetime(2026, 11, 27, 10, tzinfo=timezone.utc), EndTime=datetime(2026, 11, 27, 12, tzinfo=timezone.utc),
        Period=3600, Statistics=["Maximum", "SampleCount"])["Datapoints"]


def test_a_drifted_execution_puts_the_share_at_its_metric_time(stack, lambda_context):
    assert _reports(stack, shift=1.5) == ["x"]
    result = handler.lambda_handler(_event(), lambda_context)
    assert result["status"] == "drift" and result["drifted"] == ["x"] and result["model"] == "penguins"
    assert result["drifted_share"] == pytest.approx(1 / 3) and result["records"] == 400
    assert result["execution_status"] == "CompletedWithViolations"
    [point] = _share_points()
    assert point["Maximum"] == pytest.approx(1 / 3) and point["SampleCount"] == 1
    assert point["Timestamp"] == datetime(2026, 11, 27, 11, tzinfo=timezone.utc)


def test_an_unshifted_execution_puts_zero(stack, lambda_context):
    assert _reports(stack, shift=0.0) == []
    result = handler.lambda_handler(_event(ExitMessage="Completed: Job completed successfully with no violations."),
                                    lambda_context)
    assert result["status"] == "ok" and result["drifted_share"] == 0.0
    assert [p["Maximum"] for p in _share_points()] == [0.0]


def test_nothing_but_the_share_is_published(stack, lambda_context):
    _reports(stack, shift=1.5)
    handler.lambda_handler(_event(), lambda_context)
    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    names = {m["MetricName"] for m in cloudwatch.list_metrics(Namespace="aws/sagemaker/Endpoints/data-metrics")["Metrics"]}
    assert names == {"drifted_feature_share"}  # feature_baseline_drift_* are Model Monitor's own


def test_a_failed_execution_returns_its_reason_and_publishes_nothing(stack, lambda_context):
    reason = "No data captured between 2026-11-27T10:00:00Z and 2026-11-27T11:00:00Z"
    result = handler.lambda_handler(_event(ProcessingJobStatus="Failed", FailureReason=reason), lambda_context)
    assert result["status"] == "failed" and result["reason"] == reason
    assert _share_points() == []


@pytest.mark.parametrize(("arn", "reason"), [
    (f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:monitoring-schedule/someone-elses-schedule",
     "monitoring schedule someone-elses-schedule is not the Model Monitor schedule of any model of this stack"),
    (f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:monitoring-schedule/{SCHEDULE.lower()}",
     "is not of this account and region"),
])
def test_executions_of_other_schedules_are_ignored_with_the_reason(stack, lambda_context, arn, reason):
    _reports(stack, shift=1.5)
    result = handler.lambda_handler(_event(MonitoringScheduleArn=arn), lambda_context)
    assert result["status"] == "ignored" and reason in result["reason"]
    assert _share_points() == []


def test_a_serverless_model_does_not_own_a_model_monitor_schedule(stack, ssm, lambda_context):
    serverless = {**SETTINGS, "monitoring": {**SETTINGS["monitoring"], "engine": "serverless"}}
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Value=json.dumps(serverless), Type="String", Overwrite=True)
    assert handler.lambda_handler(_event(), lambda_context)["status"] == "ignored"


def test_a_data_quality_request_is_refused_naming_the_schedule(stack, lambda_context):
    with pytest.raises(InvalidRequest, match=f"checked by the SageMaker Model Monitor schedule {SCHEDULE}"):
        handler.lambda_handler({"model": "penguins", "check": "data-quality"}, lambda_context)
