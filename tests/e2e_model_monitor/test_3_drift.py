"""Shifted traffic: Model Monitor's execution names exactly the shifted features, its metrics and
the drifted share are published, the drift alarm fires on them and starts exactly one retraining;
approving the retrained version moves the schedule onto that version's baselines."""

from __future__ import annotations

import json
import time

import pytest

from mlops.runs import wait_for_execution
from tests.e2e_model_monitor.conftest import DATA_METRICS, DRIFT_ALARM, ENDPOINT, MODEL, SCHEDULE, SHIFTED, features


def test_the_execution_reports_exactly_the_shifted_features(drifted):
    assert drifted.status == "CompletedWithViolations", drifted.summary
    assert drifted.drifted() == sorted(SHIFTED)
    assert drifted.read("statistics.json")["dataset"]["item_count"] == 5 * len(features())


def test_the_shifted_features_distances_and_the_share_are_published(monitoring, drifted):
    for feature in SHIFTED:
        assert monitoring.maximum(DATA_METRICS, f"feature_baseline_drift_{feature}", SCHEDULE) > 0.1, feature
    share = len(SHIFTED) / (len(features().columns) - 1)
    assert monitoring.maximum(DATA_METRICS, "drifted_feature_share", SCHEDULE) == pytest.approx(share)


@pytest.fixture(scope="module")
def retraining(stack, monitoring, drifted):
    alarm = monitoring.wait_alarm(DRIFT_ALARM, "ALARM")
    deadline = time.monotonic() + 30
    while not (runs := monitoring.retraining_runs()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return alarm, runs


def test_the_alarm_fires_citing_the_share_put(monitoring, retraining):
    alarm, _ = retraining
    share = monitoring.maximum(DATA_METRICS, "drifted_feature_share", SCHEDULE)
    assert json.loads(alarm["StateReasonData"])["recentDatapoints"] == [share]
    assert "was greater than the threshold (0.0)" in alarm["StateReason"]


def test_exactly_one_retraining_starts_and_registers_a_version(stack, retraining):
    _, runs = retraining
    [run] = runs
    summary = wait_for_execution(stack.sfn, run["executionArn"], timeout=600)
    assert summary.succeeded, (summary.error, summary.cause)
    assert summary.input["model"] == MODEL


def test_deploying_the_retrained_version_moves_the_schedule_to_its_baselines(stack, monitoring, deployed, retraining):
    _, [run] = retraining
    package = wait_for_execution(stack.sfn, run["executionArn"], timeout=600).output["registration"]["ModelPackageArn"]
    old_definition = monitoring.job_definition()["JobDefinitionName"]
    summary = monitoring.approve_and_deploy(package)
    assert summary.succeeded, (summary.error, summary.cause)
    schedule = monitoring.schedule()
    assert schedule["MonitoringScheduleStatus"] == "Scheduled"
    definition = monitoring.job_definition()
    assert definition["JobDefinitionName"] != old_definition
    baselines = stack.sagemaker.describe_model_package(ModelPackageName=package)["DriftCheckBaselines"]
    assert (definition["DataQualityBaselineConfig"]["StatisticsResource"]["S3Uri"]
            == baselines["ModelDataQuality"]["Statistics"]["S3Uri"])
    names = [d["MonitoringJobDefinitionName"] for d in
             stack.sagemaker.list_data_quality_job_definitions(EndpointName=ENDPOINT)["JobDefinitionSummaries"]]
    assert old_definition not in names, "the previous version's job definition was left behind"
