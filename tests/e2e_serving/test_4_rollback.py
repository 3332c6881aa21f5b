"""A faulty version is rolled back automatically: the runtime's own error metrics fire the
rollback alarm during the canary, SageMaker returns all traffic to the old fleet, the run ends
DeploymentRolledBack and the old version keeps answering."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.e2e_serving.conftest import package

pytestmark = pytest.mark.e2e


def test_the_run_ends_rolled_back_naming_the_alarm(serving, faulty):
    _, _, summary, _ = faulty
    assert summary.status == "FAILED"
    assert summary.error == "DeploymentRolledBack"
    assert f"{serving.endpoint('penguins')}-" in summary.cause and "ALARM" in summary.cause


def test_the_old_version_serves_again(stack, serving, faulty):
    arn, serving_before, _, _ = faulty
    endpoint = serving.describe("penguins")
    assert endpoint["EndpointStatus"] == "InService"
    assert endpoint["EndpointConfigName"] == serving_before
    assert package(stack, arn)["CustomerMetadataProperties"]["DeploymentStatus"] == "RolledBack"
    assert serving.invoke("penguins", [{"island": "Dream", "bill_length_mm": 49.0, "bill_depth_mm": 19.5,
                                        "flipper_length_mm": 210, "body_mass_g": 3950, "sex": "male",
                                        "year": 2008}])["predictions"]


def test_only_the_canarys_injected_failures_failed(stack, serving, faulty):
    *_, load = faulty
    assert load.failures, "the faulty version never received traffic"
    for failure in load.failures:
        assert failure.code == "ModelError" and failure.status == 424, failure.message
        assert "500" in failure.message
    # After the rollback every request is answered by the old version again.
    last_failure = max(f.at for f in load.failures)
    assert any(o.ok for o in load.outcomes if o.at > last_failure)
    # Traffic was split: the old fleet kept answering between the canary step and the rollback
    # (a fast alarm may leave a single failed request, so the failures alone cannot show it).
    steps = stack.cloud.endpoints.history(serving.endpoint("penguins"))
    rolled_back = [step.time.timestamp() for step in steps if step.reason.startswith("rollback")][-1]
    canary = [step.time.timestamp() for step in steps if step.reason == "canary" and step.time.timestamp() <= rolled_back][-1]
    assert all(canary <= f.at <= rolled_back + 1 for f in load.failures)
    assert any(o.ok for o in load.outcomes if canary < o.at < rolled_back)


def test_the_alarm_fired_on_datapoints_the_runtime_emitted(stack, serving, faulty):
    cloudwatch = stack.cloud.client("cloudwatch")
    name = f"{serving.endpoint('penguins')}-5xx"
    history = cloudwatch.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate")["AlarmHistoryItems"]
    to_alarm = [h for h in history if "to ALARM" in h["HistorySummary"]]
    assert to_alarm, history
    reason = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
    cited = re.search(r"\[([0-9.]+) \((\d\d/\d\d/\d\d \d\d:\d\d:\d\d)\)", _alarm_reason(to_alarm[-1]))
    assert cited, to_alarm[-1]
    value, stamp = float(cited.group(1)), datetime.datetime.strptime(cited.group(2), "%d/%m/%y %H:%M:%S")
    stamp = stamp.replace(tzinfo=datetime.timezone.utc)
    emitted = cloudwatch.get_metric_statistics(
        Namespace="AWS/SageMaker", MetricName="Invocation5XXErrors", Statistics=["Sum"], Period=10,
        StartTime=stamp, EndTime=stamp + datetime.timedelta(seconds=10),
        Dimensions=[{"Name": "EndpointName", "Value": serving.endpoint("penguins")},
                    {"Name": "VariantName", "Value": "AllTraffic"}])["Datapoints"]
    assert [d["Sum"] for d in emitted] == [value] and value > 0
    assert reason["StateValue"] in ("ALARM", "OK")  # it may have recovered since


def _alarm_reason(item: dict) -> str:
    import json

    data = json.loads(item["HistoryData"])
    return data.get("newState", {}).get("stateReason", "")
