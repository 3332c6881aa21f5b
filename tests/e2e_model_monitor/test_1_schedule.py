"""The deployment of an approved version schedules Model Monitor on the version's own baselines,
and the serverless drift schedule is not created."""

from __future__ import annotations

from tests.e2e_model_monitor.conftest import ENDPOINT, SCHEDULE, STACK_NAME


def test_the_deployment_schedules_model_monitor_hourly(monitoring, deployed):
    schedule = monitoring.schedule()
    assert schedule["MonitoringScheduleStatus"] == "Scheduled"
    assert schedule["EndpointName"] == ENDPOINT
    assert schedule["MonitoringType"] == "DataQuality"
    config = schedule["MonitoringScheduleConfig"]
    assert config["ScheduleConfig"]["ScheduleExpression"] == "cron(0 * ? * * *)"
    assert config["MonitoringType"] == "DataQuality"


def test_the_job_definition_uses_the_deployed_versions_baselines(stack, monitoring, deployed):
    package = stack.sagemaker.describe_model_package(ModelPackageName=deployed)
    baselines = package["DriftCheckBaselines"]["ModelDataQuality"]
    definition = monitoring.job_definition()
    assert definition["DataQualityBaselineConfig"]["StatisticsResource"]["S3Uri"] == baselines["Statistics"]["S3Uri"]
    assert definition["DataQualityBaselineConfig"]["ConstraintsResource"]["S3Uri"] == baselines["Constraints"]["S3Uri"]
    assert definition["DataQualityJobInput"]["EndpointInput"]["EndpointName"] == ENDPOINT
    assert definition["DataQualityAppSpecification"]["ImageUri"].endswith("/sagemaker-model-monitor-analyzer")
    assert definition["NetworkConfig"]["EnableNetworkIsolation"] is True


def test_no_serverless_drift_schedule_runs_beside_it(stack, deployed):
    scheduler = stack.cloud.client("scheduler")
    names = [s["Name"] for s in scheduler.list_schedules(GroupName=f"{STACK_NAME}-monitoring")["Schedules"]]
    assert SCHEDULE not in names, names
