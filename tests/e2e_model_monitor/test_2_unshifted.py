"""Traffic like the training data: the execution completes without violations, the drifted share
is zero and the drift alarm stays OK."""

from __future__ import annotations

from tests.e2e_model_monitor.conftest import DATA_METRICS, DRIFT_ALARM, SCHEDULE, features


def test_the_execution_completes_without_drift(unshifted):
    assert unshifted.status == "Completed", unshifted.summary
    assert unshifted.drifted() == []
    assert unshifted.read("statistics.json")["dataset"]["item_count"] == len(features())


def test_the_execution_is_a_processing_job_of_the_schedule(unshifted):
    # SageMaker ARNs may spell the name in lower case.
    assert unshifted.job["MonitoringScheduleArn"].lower().endswith(f":monitoring-schedule/{SCHEDULE.lower()}")
    assert unshifted.job["ProcessingJobStatus"] == "Completed"


def test_zero_share_is_put_and_the_alarm_stays_ok(monitoring, unshifted):
    assert monitoring.maximum(DATA_METRICS, "drifted_feature_share", SCHEDULE) == 0.0
    for feature in set(features().columns) - {"species"}:
        distance = monitoring.maximum(DATA_METRICS, f"feature_baseline_drift_{feature}", SCHEDULE)
        assert distance is not None and distance <= 0.1, feature
    monitoring.wait_alarm(DRIFT_ALARM, "OK")
    assert monitoring.retraining_runs() == []
