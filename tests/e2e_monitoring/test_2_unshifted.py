"""Traffic like the training data: the check reports ok, the drift alarm stays OK, nothing retrains."""

from __future__ import annotations

import json

from tests.e2e_monitoring.conftest import DATA_METRICS, DATA_QUALITY, DRIFT_ALARM, features


def test_unshifted_traffic_is_checked_and_reported_ok(monitoring, unshifted):
    _, result = unshifted
    assert result["status"] == "ok", result
    assert (result["records"], result["unparseable"], result["drifted"]) == (len(features()), 0, [])
    assert set(result["distances"]) == set(features().columns) - {"species"}
    assert all(distance <= 0.1 for distance in result["distances"].values()), result["distances"]


def test_the_report_is_written_in_model_monitors_files(stack, unshifted):
    _, result = unshifted
    bucket, _, prefix = result["report"][len("s3://"):].partition("/")
    violations = json.loads(stack.s3.get_object(Bucket=bucket, Key=prefix + "constraint_violations.json")["Body"].read())
    statistics = json.loads(stack.s3.get_object(Bucket=bucket, Key=prefix + "statistics.json")["Body"].read())
    assert [v for v in violations["violations"] if v["constraint_check_type"] == "baseline_drift_check"] == []
    assert statistics["dataset"]["item_count"] == len(features())


def test_no_drift_puts_a_zero_share_and_the_alarm_stays_ok(monitoring, unshifted):
    assert monitoring.maximum(DATA_METRICS, "drifted_feature_share", DATA_QUALITY) == 0.0
    monitoring.wait_alarm(DRIFT_ALARM, "OK")
    monitoring.cloud.alarms.evaluate_now()  # once more, with the zero in the period evaluated
    assert monitoring.alarm(DRIFT_ALARM)["StateValue"] == "OK"
    assert monitoring.retraining_runs() == []
