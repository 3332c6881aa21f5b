"""Monitoring executions: a Processing job of the analyzer image per run, as Model Monitor runs
it, with Model Monitor's reports, metrics, events and outcomes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from mlops.localcloud.model_monitor import MonitoringScheduleNotRunnable
from tests.localcloud.model_monitor.conftest import BUCKET, NOW, make_definition, make_endpoint, put_capture
from tests.localcloud.model_monitor.support import ROLE, capture_line, capture_lines, schedule_config, table

HOUR = NOW.replace(minute=0) - timedelta(hours=1)  # the hour a run at NOW analyses: 09:00-10:00
NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"


def _monitored(cloud, endpoint: str, **definition) -> str:
    """An endpoint, its job definition and its hourly schedule (named as the stack names it)."""
    make_endpoint(cloud, endpoint)
    make_definition(cloud, f"{endpoint}-dq-1", endpoint, **definition)
    schedule = f"{endpoint}-data-quality"
    cloud.client("sagemaker").create_monitoring_schedule(MonitoringScheduleName=schedule,
                                                         MonitoringScheduleConfig=schedule_config(f"{endpoint}-dq-1"))
    return schedule


def _report(cloud, endpoint: str, schedule: str, name: str) -> dict:
    key = f"monitoring/{endpoint}/{schedule}/{NOW:%Y/%m/%d/%H}/{name}"
    return json.loads(cloud.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read())


def _job(cloud, execution: dict) -> dict:
    return cloud.client("sagemaker").describe_processing_job(
        ProcessingJobName=execution["ProcessingJobArn"].rsplit("/", 1)[-1])


def test_shifted_traffic_completes_with_violations_naming_exactly_the_shifted_features(cloud, clock):
    schedule = _monitored(cloud, "shifted")
    lines = capture_lines(table(400, seed=7, shift=True), HOUR)
    # Outside the window (the hour folder holds them, the analyzer leaves them out) and unreadable.
    lines += [capture_line("late", NOW, "9,9,Dream"), capture_line("short", HOUR, "1.0,2.0")]
    put_capture(cloud, "shifted", HOUR, lines)

    execution = cloud.monitoring.run_now(schedule)

    assert execution["MonitoringExecutionStatus"] == "CompletedWithViolations"
    assert (execution["MonitoringScheduleName"], execution["EndpointName"]) == (schedule, "shifted")
    assert (execution["MonitoringJobDefinitionName"], execution["MonitoringType"]) == ("shifted-dq-1", "DataQuality")
    violations = _report(cloud, "shifted", schedule, "constraint_violations.json")["violations"]
    drifted = sorted(v["feature_name"] for v in violations if v["constraint_check_type"] == "baseline_drift_check")
    assert drifted == ["island", "length"]
    assert all("exceeds threshold" in v["description"] for v in violations)
    statistics = _report(cloud, "shifted", schedule, "statistics.json")
    assert statistics["dataset"]["item_count"] == 400  # the unreadable record is counted out, not fatal
    job = _job(cloud, execution)
    assert job["ExitMessage"] == f"CompletedWithViolations: Job completed successfully with {len(violations)} violations."
    listed = cloud.client("sagemaker").describe_monitoring_schedule(MonitoringScheduleName=schedule)
    assert listed["LastMonitoringExecutionSummary"]["ProcessingJobArn"] == execution["ProcessingJobArn"]


def test_drift_metrics_reach_cloudwatch_with_both_dimensions_at_metric_time(cloud, clock):
    schedule = _monitored(cloud, "metrics")
    put_capture(cloud, "metrics", HOUR, capture_lines(table(400, seed=8, shift=True), HOUR))
    cloud.monitoring.run_now(schedule)
    cloudwatch = cloud.client("cloudwatch")
    dimensions = [{"Name": "Endpoint", "Value": "metrics"}, {"Name": "MonitoringSchedule", "Value": schedule}]
    listed = cloudwatch.list_metrics(Namespace=NAMESPACE, Dimensions=dimensions)["Metrics"]
    assert {m["MetricName"] for m in listed} == {f"feature_baseline_drift_{f}" for f in ("length", "weight", "island")}
    assert all(sorted(m["Dimensions"], key=lambda d: d["Name"]) == dimensions for m in listed)

    def maximum(feature: str) -> float:
        points = cloudwatch.get_metric_statistics(
            Namespace=NAMESPACE, MetricName=f"feature_baseline_drift_{feature}", Dimensions=dimensions,
            StartTime=HOUR, EndTime=HOUR + timedelta(minutes=1), Period=60, Statistics=["Maximum"])["Datapoints"]
        return points[0]["Maximum"]

    assert maximum("length") > 0.1 and maximum("island") > 0.1 and maximum("weight") <= 0.1


def test_unshifted_traffic_completes_without_drift(cloud, clock):
    schedule = _monitored(cloud, "steady")
    put_capture(cloud, "steady", HOUR, capture_lines(table(400, seed=9), HOUR))
    execution = cloud.monitoring.run_now(schedule)
    assert execution["MonitoringExecutionStatus"] == "Completed" and "FailureReason" not in execution
    violations = _report(cloud, "steady", schedule, "constraint_violations.json")["violations"]
    assert not [v for v in violations if v["constraint_check_type"] == "baseline_drift_check"]
    assert _job(cloud, execution)["ExitMessage"] == "Completed: Job completed successfully with no violations."


def test_an_empty_window_fails_as_sagemaker_says_without_a_job(cloud, clock):
    schedule = _monitored(cloud, "quiet")
    put_capture(cloud, "quiet", HOUR - timedelta(hours=2), capture_lines(table(10, seed=3), HOUR - timedelta(hours=2)))
    execution = cloud.monitoring.run_now(schedule)
    assert execution["MonitoringExecutionStatus"] == "Failed"
    assert execution["FailureReason"] == "Job inputs had no data"
    assert "ProcessingJobArn" not in execution


def test_a_missing_baseline_fails_the_job_naming_the_object(cloud, clock):
    schedule = _monitored(cloud, "unbased", baseline="nowhere")
    put_capture(cloud, "unbased", HOUR, capture_lines(table(20, seed=4), HOUR))
    execution = cloud.monitoring.run_now(schedule)
    assert execution["MonitoringExecutionStatus"] == "Failed"
    assert f"s3://{BUCKET}/nowhere/statistics.json" in execution["FailureReason"]
    assert _job(cloud, execution)["ProcessingJobStatus"] == "Failed"


def test_unreadable_traffic_fails_naming_why(cloud, clock):
    schedule = _monitored(cloud, "garbled")
    put_capture(cloud, "garbled", HOUR, [capture_line(f"g{i}", HOUR, "1,2") for i in range(5)])
    execution = cloud.monitoring.run_now(schedule)
    assert execution["MonitoringExecutionStatus"] == "Failed"
    assert "None of the 5 captured requests" in execution["FailureReason"]
    assert "5 unparseable records" in execution["FailureReason"]


def test_the_job_is_a_monitoring_execution_run_as_the_definition_role(cloud, clock):
    schedule = _monitored(cloud, "described")
    put_capture(cloud, "described", HOUR, capture_lines(table(50, seed=5), HOUR))
    mark = cloud.iam.mark()
    execution = cloud.monitoring.run_now(schedule)
    job = _job(cloud, execution)
    assert job["ProcessingJobName"].startswith(f"model-monitoring-{NOW:%Y%m%d%H%M}-")
    assert job["MonitoringScheduleArn"].endswith(f":monitoring-schedule/{schedule}")
    assert job["RoleArn"] == ROLE and job["NetworkConfig"]["EnableNetworkIsolation"] is True
    environment = job["Environment"]
    assert {k: environment[k] for k in ("start_time", "end_time", "metric_time", "publish_cloudwatch_metrics",
                                        "sagemaker_endpoint_name", "sagemaker_monitoring_schedule_name")} == {
        "start_time": f"{HOUR:%Y-%m-%dT%H}:00:00Z", "end_time": f"{NOW:%Y-%m-%dT%H}:00:00Z",
        "metric_time": f"{HOUR:%Y-%m-%dT%H}:00:00Z", "publish_cloudwatch_metrics": "Enabled",
        "sagemaker_endpoint_name": "described", "sagemaker_monitoring_schedule_name": schedule}
    assert environment["baseline_statistics"] == "/opt/ml/processing/baseline/stats/statistics.json"
    capture = [i["S3Input"] for i in job["ProcessingInputs"] if i["InputName"].startswith("endpoint_input")]
    assert [c["S3Uri"] for c in capture] == [f"s3://{BUCKET}/data-capture/described/AllTraffic/{HOUR:%Y/%m/%d/%H}"]
    assert job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"] == (
        f"s3://{BUCKET}/monitoring/described/{schedule}/{NOW:%Y/%m/%d/%H}")
    assert execution["ProcessingJobArn"] in {
        s["ProcessingJobArn"] for s in cloud.client("sagemaker").list_processing_jobs()["ProcessingJobSummaries"]}
    made = {c.operation for c in cloud.iam.calls[mark.calls:] if c.principal and c.principal.role_arn == ROLE}
    assert {"s3.ListObjectsV2", "s3.GetObject", "s3.PutObject", "cloudwatch.PutMetricData"} <= made


def test_the_job_sends_its_state_changes_with_the_schedule(cloud, clock):
    sqs, events = cloud.client("sqs"), cloud.client("events")
    url = sqs.create_queue(QueueName="model-monitor-jobs")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="model-monitor-jobs", EventPattern=json.dumps({
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Processing Job State Change"],
        "detail": {"MonitoringScheduleArn": [{"exists": True}], "Environment": {
            "sagemaker_endpoint_name": ["announced"]}}}))
    events.put_targets(Rule="model-monitor-jobs", Targets=[{"Id": "queue", "Arn": arn}])
    schedule = _monitored(cloud, "announced")
    put_capture(cloud, "announced", HOUR, capture_lines(table(200, seed=6, shift=True), HOUR))
    execution = cloud.monitoring.run_now(schedule)
    cloud.bus.wait_idle(30)
    bodies = [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                                 WaitTimeSeconds=1).get("Messages", [])]
    assert [b["detail"]["ProcessingJobStatus"] for b in bodies] == ["InProgress", "Completed"]
    final = bodies[-1]["detail"]
    assert final["ProcessingJobArn"] == execution["ProcessingJobArn"]
    assert final["ExitMessage"].startswith("CompletedWithViolations: Job completed successfully with ")
    assert final["MonitoringScheduleArn"].endswith(f"/{schedule}")


def test_executions_list_by_schedule_endpoint_and_status(cloud, clock):
    schedule = _monitored(cloud, "listed")
    cloud.monitoring.run_now(schedule)  # no data: Failed
    put_capture(cloud, "listed", HOUR, capture_lines(table(50, seed=2), HOUR))
    cloud.monitoring.run_now(schedule)
    sagemaker = cloud.client("sagemaker")
    found = sagemaker.list_monitoring_executions(MonitoringScheduleName=schedule, SortBy="CreationTime",
                                                 SortOrder="Ascending")["MonitoringExecutionSummaries"]
    assert [e["MonitoringExecutionStatus"] for e in found] == ["Failed", "Completed"]
    failed = sagemaker.list_monitoring_executions(EndpointName="listed", StatusEquals="Failed")
    assert [e["FailureReason"] for e in failed["MonitoringExecutionSummaries"]] == ["Job inputs had no data"]


def test_run_now_refuses_a_stopped_or_unknown_schedule(cloud, clock):
    schedule = _monitored(cloud, "halted")
    cloud.client("sagemaker").stop_monitoring_schedule(MonitoringScheduleName=schedule)
    with pytest.raises(MonitoringScheduleNotRunnable, match="is Stopped"):
        cloud.monitoring.run_now(schedule)
    with pytest.raises(MonitoringScheduleNotRunnable, match="does not exist"):
        cloud.monitoring.run_now("no-such-schedule")
