"""The operator CLI with monitoring.engine "model-monitor", in the embedded cloud (its Model Monitor
API, no deployment): `mlops monitor run` shows the schedule and its last execution instead of
running a check, and `mlops teardown` deletes the schedule, then its job definitions."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mlops.cli.main import cli
from mlops.localcloud.server import EmbeddedCloud
from mlops_core.naming import data_quality_job_definition_name

ACCOUNT = "123456789012"
ENDPOINT = "MlopsStack-penguins"
SCHEDULE = f"{ENDPOINT}-data-quality"
PACKAGES = [f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/mlopsstack-penguins/{n}" for n in (1, 2)]
SETTINGS = {"model": "penguins", "serving": {"enabled": True, "endpoint_name": ENDPOINT},
            "monitoring": {"enabled": True, "engine": "model-monitor"}}


@pytest.fixture
def cloud(tmp_path):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path / "cloud") as cloud:
        cloud.client("ssm").put_parameter(Name="/MlopsStack/models/penguins", Type="String",
                                          Value=json.dumps(SETTINGS))
        outputs = {"TrainingPipelineArn": f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:P",
                   "SettingsParameterPrefix": "/MlopsStack/models/", "ArtifactsBucketName": "artifacts",
                   "MonitorFunctionName": "Monitor"}
        (tmp_path / "outputs.json").write_text(json.dumps({"MlopsStack": outputs}))
        cloud.env = {"MLOPS_OUTPUTS_FILE": str(tmp_path / "outputs.json"), "AWS_ENDPOINT_URL": cloud.endpoint_url,
                     "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
                     "MLOPS_STACK": None}
        yield cloud


def _job_definition(cloud, package: str) -> str:
    name = data_quality_job_definition_name(ENDPOINT, package)
    cloud.client("sagemaker").create_data_quality_job_definition(
        JobDefinitionName=name,
        DataQualityAppSpecification={"ImageUri": "156813124566.dkr.ecr.us-east-1.amazonaws.com/"
                                                 "sagemaker-model-monitor-analyzer"},
        DataQualityBaselineConfig={"StatisticsResource": {"S3Uri": "s3://artifacts/baseline/statistics.json"},
                                   "ConstraintsResource": {"S3Uri": "s3://artifacts/baseline/constraints.json"}},
        DataQualityJobInput={"EndpointInput": {"EndpointName": ENDPOINT, "LocalPath": "/opt/ml/processing/input"}},
        DataQualityJobOutputConfig={"MonitoringOutputs": [{"S3Output": {
            "S3Uri": "s3://artifacts/monitoring", "LocalPath": "/opt/ml/processing/output"}}]},
        JobResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 30}},
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/SageMakerExecution")
    return name


def _schedule(cloud, job_definition: str) -> None:
    cloud.client("sagemaker").create_monitoring_schedule(MonitoringScheduleName=SCHEDULE, MonitoringScheduleConfig={
        "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)", "DataAnalysisStartTime": "-PT1H",
                           "DataAnalysisEndTime": "-PT0H"},
        "MonitoringJobDefinitionName": job_definition, "MonitoringType": "DataQuality"})


def _mlops(cloud, *args):
    result = CliRunner().invoke(cli, list(args), env=cloud.env)
    assert "Traceback" not in result.output, result.output
    return result


def test_monitor_run_without_a_schedule_says_how_one_is_made(cloud):
    result = _mlops(cloud, "monitor", "run", "penguins")
    assert result.exit_code == 3
    assert f"no Model Monitor schedule {SCHEDULE}: the deployment pipeline makes it" in result.output


def test_monitor_run_shows_the_schedule_before_its_first_execution(cloud):
    definition = _job_definition(cloud, PACKAGES[0])
    _schedule(cloud, definition)
    result = _mlops(cloud, "monitor", "run", "penguins")
    assert result.exit_code == 5, result.output
    assert f"run by SageMaker Model Monitor schedule {SCHEDULE}" in result.output
    assert "cron(0 * ? * * *)" in result.output and definition in result.output
    assert "no execution yet" in result.output
    view = json.loads(_mlops(cloud, "monitor", "run", "penguins", "--json").stdout)
    assert view["status"] == "no-data" and view["schedule"]["window"] == ["-PT1H", "-PT0H"]


def test_monitor_run_shows_a_failed_execution_with_its_reason(cloud):
    _schedule(cloud, _job_definition(cloud, PACKAGES[0]))
    execution = cloud.monitoring.run_now(SCHEDULE)  # no endpoint, no captures: SageMaker fails it
    assert execution["MonitoringExecutionStatus"] == "Failed"
    result = _mlops(cloud, "monitor", "run", "penguins")
    assert result.exit_code == 1, result.output
    assert "last execution" in result.output and f"reason: {execution['FailureReason']}" in result.output


def test_teardown_deletes_the_schedule_then_every_job_definition_of_the_endpoint(cloud):
    old, new = (_job_definition(cloud, package) for package in PACKAGES)
    _schedule(cloud, new)
    result = _mlops(cloud, "teardown", "--yes", "--json")
    assert result.exit_code == 0, result.output
    deleted = [(d["kind"], d["name"]) for d in json.loads(result.stdout)["deleted"]]
    assert deleted == [("monitoring-schedule", SCHEDULE)] + sorted(
        [("job-definition", old), ("job-definition", new)])
    sagemaker = cloud.client("sagemaker")
    assert sagemaker.list_monitoring_schedules()["MonitoringScheduleSummaries"] == []
    assert sagemaker.list_data_quality_job_definitions()["JobDefinitionSummaries"] == []
    assert json.loads(_mlops(cloud, "teardown", "--yes", "--json").stdout)["deleted"] == []
