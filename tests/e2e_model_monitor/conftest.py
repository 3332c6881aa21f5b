"""One embedded cloud for the managed Model Monitor engine (`monitoring.engine: "model-monitor"`),
from the real CDK app: the deployment pipeline creates the DataQualityJobDefinition and the
MonitoringSchedule from the deployed version's baselines; the schedule's executions (Processing
jobs run by the embedded cloud's stand-in for the Model Monitor analyzer) publish the per-feature
drift metrics; MonitorEndpoint publishes the drifted share on the execution's job event; the drift
alarm and the retraining it starts are the serverless engine's.

Nothing is moved but the schedule's firing: executions run when the test fires the schedule
(`cloud.monitoring.run_now`, what the hourly cron does). An execution stamps its datapoints with
the start of the window it analysed, an hour back, so the alarm period holding them is already
complete when they are put and the alarm evaluator's clock needs no moving.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from mlops.runs import wait_for_execution
from tests.e2e.harness import Stack, deployed_stack, operator_cli
from tests.e2e_monitoring.conftest import Monitoring, features, shifted

CONFIG = Path(__file__).with_name("model_monitor_models.json")
SETTINGS = json.loads(CONFIG.read_text())
STACK_NAME = SETTINGS["stack_name"]
MODEL = "penguins"
ENDPOINT = f"{STACK_NAME}-{MODEL}"
SCHEDULE = f"{ENDPOINT}-data-quality"
DRIFT_ALARM = f"{ENDPOINT}-drift"
DATA_METRICS = "aws/sagemaker/Endpoints/data-metrics"
SHIFTED = ("bill_length_mm", "island")


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        # Executions run when a test fires the schedule, so counts are not racy.
        deployed.cloud.monitoring.background = False
        yield deployed


@pytest.fixture(scope="package")
def mlops(stack, tmp_path_factory):
    return operator_cli(stack, STACK_NAME, tmp_path_factory.mktemp("outputs"))


@pytest.fixture(scope="package")
def monitoring(stack, mlops) -> ManagedMonitoring:
    return ManagedMonitoring(stack, mlops, model=MODEL, endpoint=ENDPOINT)


@pytest.fixture(scope="package")
def deployed(monitoring):
    """Version 1, trained from an upload and deployed by `mlops approve`."""
    summary, package = monitoring.train_and_deploy()
    assert summary.succeeded, (summary.error, summary.cause)
    return package


@pytest.fixture(scope="package")
def unshifted(monitoring, deployed):
    monitoring.send(features(), "plain")
    return monitoring.execute()


@pytest.fixture(scope="package")
def drifted(monitoring, unshifted):
    """Four times every penguin, shifted; the window also holds the unshifted requests."""
    monitoring.send(pd.concat([shifted(features())] * 4, ignore_index=True), "shifted")
    return monitoring.execute()


class ManagedMonitoring(Monitoring):
    # An execution stamps its datapoints with the start of the window it analysed (metric_time),
    # up to window_minutes before the run.
    lookback_seconds = 3 * 3600

    def execute(self) -> Execution:
        """Fire the Model Monitor schedule now; the finished execution, once its job event was handled."""
        summary = self.cloud.monitoring.run_now(SCHEDULE)
        self.cloud.bus.wait_idle()
        return Execution(self.stack, summary)

    def schedule(self) -> dict:
        return self.stack.sagemaker.describe_monitoring_schedule(MonitoringScheduleName=SCHEDULE)

    def job_definition(self) -> dict:
        name = self.schedule()["MonitoringScheduleConfig"]["MonitoringJobDefinitionName"]
        return self.stack.sagemaker.describe_data_quality_job_definition(JobDefinitionName=name)

    def deployments(self) -> list[dict]:
        return self.stack.sfn.list_executions(stateMachineArn=self.stack.outputs["DeploymentPipelineArn"])[
            "executions"]

    def approve_and_deploy(self, package: str):
        before = {run["executionArn"] for run in self.deployments()}
        result = self.mlops("approve", self.model, "--version", package.rsplit("/", 1)[-1])
        assert result.exit_code == 0, result.output
        deadline = time.monotonic() + 60
        while not (new := [r for r in self.deployments() if r["executionArn"] not in before]):
            assert time.monotonic() < deadline, "the approval started no deployment"
            time.sleep(0.5)
        return wait_for_execution(self.stack.sfn, new[0]["executionArn"], timeout=300)


class Execution:
    """One monitoring execution: its ListMonitoringExecutions summary and the files it wrote."""

    def __init__(self, stack: Stack, summary: dict) -> None:
        self.stack, self.summary = stack, summary
        job = stack.sagemaker.describe_processing_job(ProcessingJobName=summary["ProcessingJobArn"].rsplit("/", 1)[-1])
        self.job = job
        [output] = job["ProcessingOutputConfig"]["Outputs"]
        self.report_uri = output["S3Output"]["S3Uri"].rstrip("/") + "/"

    @property
    def status(self) -> str:
        return self.summary["MonitoringExecutionStatus"]

    def read(self, name: str) -> dict:
        bucket, _, prefix = self.report_uri[len("s3://"):].partition("/")
        return json.loads(self.stack.s3.get_object(Bucket=bucket, Key=prefix + name)["Body"].read())

    def drifted(self) -> list[str]:
        return sorted(v["feature_name"] for v in self.read("constraint_violations.json")["violations"]
                      if v["constraint_check_type"] == "baseline_drift_check")
