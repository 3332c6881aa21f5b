"""Shifted traffic: exactly the shifted features drift, their distances are published, the drift
alarm fires on those datapoints and its state-change event starts exactly one retraining."""

from __future__ import annotations

import json
import time

import pytest

from mlops.runs import wait_for_execution
from tests.e2e_monitoring.conftest import (
    DATA_METRICS,
    DATA_QUALITY,
    DRIFT_ALARM,
    MODEL,
    SHIFTED,
    features,
)


def test_exactly_the_shifted_features_drift(drifted):
    assert drifted["status"] == "drift", drifted
    assert sorted(drifted["drifted"]) == sorted(SHIFTED)
    distances = drifted["distances"]
    assert all(distances[f] > 0.1 for f in SHIFTED), distances
    assert all(d <= 0.1 for f, d in distances.items() if f not in SHIFTED), distances
    assert drifted["records"] == 5 * len(features())  # the window also holds the unshifted requests


def test_the_distances_and_the_share_are_published(monitoring, drifted):
    for feature, distance in drifted["distances"].items():
        put = monitoring.maximum(DATA_METRICS, f"feature_baseline_drift_{feature}", DATA_QUALITY)
        assert put == pytest.approx(distance), feature
    share = len(SHIFTED) / len(drifted["distances"])
    assert monitoring.maximum(DATA_METRICS, "drifted_feature_share", DATA_QUALITY) == pytest.approx(share)


@pytest.fixture(scope="module")
def alarmed(monitoring, drifted):
    return monitoring.wait_alarm(DRIFT_ALARM, "ALARM")


def test_the_drift_alarm_fires_citing_the_datapoint_put(monitoring, drifted, alarmed):
    share = monitoring.maximum(DATA_METRICS, "drifted_feature_share", DATA_QUALITY)
    assert json.loads(alarmed["StateReasonData"])["recentDatapoints"] == [share]
    assert alarmed["StateReason"].startswith(f"Threshold Crossed: 1 datapoint [{share!r} (")
    assert "was greater than the threshold (0.0)" in alarmed["StateReason"]


def _alarm_events(stack, url: str, timeout: float = 20) -> list[dict]:
    sqs, deadline, found = stack.cloud.client("sqs"), time.time() + timeout, []
    while not found and time.time() < deadline:
        stack.cloud.bus.wait_idle()
        found = [json.loads(m["Body"]) for m in sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])]
    return found


def _one_retraining(monitoring, timeout: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout
    while not (runs := monitoring.retraining_runs()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return runs


def test_the_alarm_event_starts_exactly_one_retraining(stack, monitoring, alarmed, alarm_events):
    [event] = _alarm_events(stack, alarm_events)
    assert event["detail"]["alarmName"] == DRIFT_ALARM and event["detail"]["state"]["value"] == "ALARM"
    [run] = _one_retraining(monitoring)
    assert run["name"].startswith(f"rt-{MODEL}-")
    stack.cloud.redeliver(event)  # EventBridge delivers at least once: the same episode again
    stack.cloud.bus.wait_idle()
    time.sleep(2)
    assert [r["executionArn"] for r in monitoring.retraining_runs()] == [run["executionArn"]]
    summary = wait_for_execution(stack.sfn, run["executionArn"], timeout=600)
    assert summary.succeeded, (summary.error, summary.cause)
    assert summary.input["model"] == MODEL
    assert summary.output["registration"]["ModelPackageArn"]
