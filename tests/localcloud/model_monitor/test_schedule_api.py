"""The MonitoringSchedule API and DataQualityJobDefinition answers, as SageMaker gives them."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.model_monitor import store
from tests.localcloud.model_monitor.conftest import make_definition, make_endpoint
from tests.localcloud.model_monitor.support import schedule_config

ACCOUNT_REGION = "us-east-1:123456789012"


@pytest.fixture(scope="module")
def endpoint(cloud):
    make_endpoint(cloud, "api-ep")
    make_definition(cloud, "api-ep-dq-1", "api-ep")
    make_definition(cloud, "api-ep-dq-2", "api-ep")
    return "api-ep"


@pytest.fixture
def sagemaker(cloud):
    return cloud.client("sagemaker")


def _error(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def test_a_schedule_is_pending_then_scheduled_with_its_endpoint_and_type(sagemaker, endpoint):
    arn = sagemaker.create_monitoring_schedule(MonitoringScheduleName="api-lifecycle",
                                               MonitoringScheduleConfig=schedule_config("api-ep-dq-1"),
                                               Tags=[{"Key": "team", "Value": "ml"}])["MonitoringScheduleArn"]
    assert arn == f"arn:aws:sagemaker:{ACCOUNT_REGION}:monitoring-schedule/api-lifecycle"
    first = sagemaker.describe_monitoring_schedule(MonitoringScheduleName="api-lifecycle")
    assert first["MonitoringScheduleStatus"] == "Pending"
    assert (first["EndpointName"], first["MonitoringType"]) == (endpoint, "DataQuality")
    assert first["MonitoringScheduleConfig"] == schedule_config("api-ep-dq-1")
    assert first["CreationTime"] == first["LastModifiedTime"]
    assert "LastMonitoringExecutionSummary" not in first
    time.sleep(store.PENDING_SECONDS + 0.1)
    assert sagemaker.describe_monitoring_schedule(
        MonitoringScheduleName="api-lifecycle")["MonitoringScheduleStatus"] == "Scheduled"
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    assert {t["Key"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]} == {"team", "stage"}

    sagemaker.stop_monitoring_schedule(MonitoringScheduleName="api-lifecycle")
    assert sagemaker.describe_monitoring_schedule(
        MonitoringScheduleName="api-lifecycle")["MonitoringScheduleStatus"] == "Stopped"
    sagemaker.start_monitoring_schedule(MonitoringScheduleName="api-lifecycle")
    assert sagemaker.describe_monitoring_schedule(
        MonitoringScheduleName="api-lifecycle")["MonitoringScheduleStatus"] == "Scheduled"

    sagemaker.update_monitoring_schedule(MonitoringScheduleName="api-lifecycle",
                                         MonitoringScheduleConfig=schedule_config("api-ep-dq-2", "cron(0 0/2 ? * * *)"))
    updated = sagemaker.describe_monitoring_schedule(MonitoringScheduleName="api-lifecycle")
    assert updated["MonitoringScheduleConfig"]["MonitoringJobDefinitionName"] == "api-ep-dq-2"
    assert updated["MonitoringScheduleStatus"] == "Pending" and updated["LastModifiedTime"] > first["CreationTime"]

    sagemaker.delete_monitoring_schedule(MonitoringScheduleName="api-lifecycle")
    assert _error(sagemaker.describe_monitoring_schedule, MonitoringScheduleName="api-lifecycle") == (
        "ResourceNotFound", f"Monitoring Schedule 'arn:aws:sagemaker:{ACCOUNT_REGION}:monitoring-schedule/"
                            f"api-lifecycle' does not exist.")


def test_missing_schedules_are_resource_not_found(sagemaker):
    for call in (sagemaker.delete_monitoring_schedule, sagemaker.start_monitoring_schedule,
                 sagemaker.stop_monitoring_schedule):
        assert _error(call, MonitoringScheduleName="api-nowhere")[0] == "ResourceNotFound"
    assert _error(sagemaker.update_monitoring_schedule, MonitoringScheduleName="api-nowhere",
                  MonitoringScheduleConfig=schedule_config("api-ep-dq-1"))[0] == "ResourceNotFound"


def test_a_taken_name_is_resource_in_use(sagemaker, endpoint):
    sagemaker.create_monitoring_schedule(MonitoringScheduleName="api-taken",
                                         MonitoringScheduleConfig=schedule_config("api-ep-dq-1"))
    code, message = _error(sagemaker.create_monitoring_schedule, MonitoringScheduleName="api-taken",
                           MonitoringScheduleConfig=schedule_config("api-ep-dq-2"))
    assert code == "ResourceInUse" and "monitoring-schedule/api-taken' already exists" in message
    sagemaker.delete_monitoring_schedule(MonitoringScheduleName="api-taken")


@pytest.mark.parametrize("name, config, message", [
    ("bad_name", schedule_config("api-ep-dq-1"),
     "Value 'bad_name' at 'monitoringScheduleName' failed to satisfy constraint"),
    ("api-bad", schedule_config("api-ep-dq-1", "cron(0 */2 ? * * *)"), "ScheduleExpression 'cron(0 */2 ? * * *)' "
                                                                        "is not supported"),
    ("api-bad", schedule_config("api-ep-dq-1", "NOW"), "required when the ScheduleExpression is NOW"),
    ("api-bad", schedule_config("api-ep-dq-1", "NOW", DataAnalysisStartTime="-PT25H", DataAnalysisEndTime="-PT0H"),
     "by more than 24 hours"),
    ("api-bad", schedule_config("api-ep-dq-1", "NOW", DataAnalysisStartTime="-PT0H", DataAnalysisEndTime="-PT1H"),
     "must be before DataAnalysisEndTime"),
    ("api-bad", schedule_config("api-nothing"), "Could not find data quality job definition 'api-nothing'"),
    ("api-bad", {**schedule_config("api-ep-dq-1"), "MonitoringType": "ModelQuality"},
     "MonitoringType ModelQuality cannot run in the embedded cloud"),
    ("api-bad", {"ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"}},
     "exactly one of MonitoringJobDefinition and MonitoringJobDefinitionName"),
])
def test_bad_requests_are_validation_exceptions_naming_the_problem(sagemaker, endpoint, name, config, message):
    code, text = _error(sagemaker.create_monitoring_schedule, MonitoringScheduleName=name,
                        MonitoringScheduleConfig=config)
    assert code == "ValidationException" and message in text


def test_lists_filter_sort_and_page(sagemaker, endpoint):
    for name in ("api-list-a", "api-list-b", "api-list-c"):
        sagemaker.create_monitoring_schedule(MonitoringScheduleName=name,
                                             MonitoringScheduleConfig=schedule_config("api-ep-dq-1"))
    sagemaker.stop_monitoring_schedule(MonitoringScheduleName="api-list-b")
    listed = sagemaker.list_monitoring_schedules(NameContains="api-list", SortBy="Name", SortOrder="Ascending")
    assert [s["MonitoringScheduleName"] for s in listed["MonitoringScheduleSummaries"]] == [
        "api-list-a", "api-list-b", "api-list-c"]
    summary = listed["MonitoringScheduleSummaries"][0]
    assert (summary["EndpointName"], summary["MonitoringJobDefinitionName"], summary["MonitoringType"]) == (
        endpoint, "api-ep-dq-1", "DataQuality")
    stopped = sagemaker.list_monitoring_schedules(NameContains="api-list", StatusEquals="Stopped")
    assert [s["MonitoringScheduleName"] for s in stopped["MonitoringScheduleSummaries"]] == ["api-list-b"]
    assert not sagemaker.list_monitoring_schedules(EndpointName="api-elsewhere")["MonitoringScheduleSummaries"]
    first = sagemaker.list_monitoring_schedules(NameContains="api-list", SortBy="Name", MaxResults=2)
    assert [s["MonitoringScheduleName"] for s in first["MonitoringScheduleSummaries"]] == ["api-list-c", "api-list-b"]
    rest = sagemaker.list_monitoring_schedules(NameContains="api-list", SortBy="Name", MaxResults=2,
                                               NextToken=first["NextToken"])
    assert [s["MonitoringScheduleName"] for s in rest["MonitoringScheduleSummaries"]] == ["api-list-a"]
    assert "NextToken" not in rest
    assert _error(sagemaker.list_monitoring_schedules, StatusEquals="Running")[0] == "ValidationException"
    for name in ("api-list-a", "api-list-b", "api-list-c"):
        sagemaker.delete_monitoring_schedule(MonitoringScheduleName=name)


def test_data_quality_job_definitions_answer_as_sagemaker(sagemaker, endpoint):
    listed = sagemaker.list_data_quality_job_definitions(EndpointName=endpoint, SortBy="Name", SortOrder="Ascending")
    assert [(d["MonitoringJobDefinitionName"], d["EndpointName"]) for d in listed["JobDefinitionSummaries"]] == [
        ("api-ep-dq-1", endpoint), ("api-ep-dq-2", endpoint)]
    assert not sagemaker.list_data_quality_job_definitions(NameContains="nothing-like")["JobDefinitionSummaries"]
    described = sagemaker.describe_data_quality_job_definition(JobDefinitionName="api-ep-dq-1")
    assert described["StoppingCondition"] == {"MaxRuntimeInSeconds": 600}
    assert described["DataQualityJobInput"]["EndpointInput"]["EndpointName"] == endpoint
    code, message = _error(sagemaker.create_data_quality_job_definition,
                           **_same_request(sagemaker, "api-ep-dq-1"))
    assert code == "ResourceInUse" and "data-quality-job-definition/api-ep-dq-1' already exists" in message


def test_a_job_definition_a_schedule_runs_cannot_be_deleted(sagemaker, endpoint):
    sagemaker.create_monitoring_schedule(MonitoringScheduleName="api-user",
                                         MonitoringScheduleConfig=schedule_config("api-ep-dq-2"))
    code, message = _error(sagemaker.delete_data_quality_job_definition, JobDefinitionName="api-ep-dq-2")
    assert code == "ResourceInUse" and "in use by monitoring schedule(s) api-user" in message
    sagemaker.delete_monitoring_schedule(MonitoringScheduleName="api-user")
    sagemaker.delete_data_quality_job_definition(JobDefinitionName="api-ep-dq-2")
    make_definition_again = sagemaker.create_data_quality_job_definition(**_same_request(sagemaker, "api-ep-dq-1",
                                                                                         name="api-ep-dq-2"))
    assert make_definition_again["JobDefinitionArn"].endswith("/api-ep-dq-2")


def _same_request(sagemaker, source: str, name: str | None = None) -> dict:
    described = sagemaker.describe_data_quality_job_definition(JobDefinitionName=source)
    keys = ("DataQualityAppSpecification", "DataQualityBaselineConfig", "DataQualityJobInput",
            "DataQualityJobOutputConfig", "JobResources", "NetworkConfig", "RoleArn", "StoppingCondition")
    return {"JobDefinitionName": name or source, **{key: described[key] for key in keys}}
