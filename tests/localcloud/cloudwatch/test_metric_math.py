"""Metric math alarms: arithmetic of metric ids, FILL, and a clear reason for what is unsupported."""

from __future__ import annotations

import json

from tests.localcloud.cloudwatch.alarm_support import NAMESPACE, alarm, put, reason_data, state


def metrics(name: str, expression: str) -> list[dict]:
    def stat(query_id: str, metric: str) -> dict:
        return {"Id": query_id, "ReturnData": False, "MetricStat": {
            "Metric": {"Namespace": NAMESPACE, "MetricName": f"{name}-{metric}"}, "Period": 10, "Stat": "Sum"}}
    return [stat("errors", "errors"), stat("invocations", "invocations"),
            {"Id": "rate", "Expression": expression, "Label": "error rate", "ReturnData": True}]


def math_alarm(cw, name: str, expression: str, **overrides) -> None:
    alarm(cw, name, Namespace=None, MetricName=None, Statistic=None, Period=None, Threshold=0.1,
          Metrics=metrics(name, expression), **overrides)


def test_error_rate_alarm(cloud, cw, clock, name):
    math_alarm(cw, name, "errors / invocations")
    put(cw, f"{name}-errors", when=clock.start - 5, value=1.0)
    put(cw, f"{name}-invocations", when=clock.start - 5, values=[1.0], counts=[100])
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    put(cw, f"{name}-errors", when=clock.start + 5, value=5.0)
    put(cw, f"{name}-invocations", when=clock.start + 5, value=20.0)
    clock.advance(10)
    cloud.alarms.evaluate_now()
    described = state(cw, name)
    assert described["StateValue"] == "ALARM"
    assert "1 datapoint [0.25 (" in described["StateReason"]
    data = reason_data(cw, name)
    assert "statistic" not in data and data["period"] == 10
    assert [set(point) for point in data["evaluatedDatapoints"]] == [{"timestamp", "value"}]


def test_fill_turns_a_silent_error_metric_into_zero(cloud, cw, clock, name):
    math_alarm(cw, name, "FILL(errors, 0) / invocations")
    put(cw, f"{name}-invocations", when=clock.start - 5, value=10.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    assert reason_data(cw, name)["evaluatedDatapoints"][0]["value"] == 0.0


def test_without_fill_a_silent_metric_leaves_no_datapoint(cloud, cw, clock, name):
    math_alarm(cw, name, "errors / invocations", TreatMissingData="breaching")
    put(cw, f"{name}-invocations", when=clock.start - 5, value=10.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateReason"].endswith("treated as [Breaching].")


def test_unsupported_expression_says_what_it_cannot_evaluate(cloud, cw, clock, name):
    math_alarm(cw, name, "RATE(errors)")
    put(cw, f"{name}-errors", when=clock.start - 5, value=10.0)
    cloud.alarms.evaluate_now()
    described = state(cw, name)
    assert described["StateValue"] == "INSUFFICIENT_DATA"
    assert "function RATE is not supported by the embedded cloud" in described["StateReason"]


def test_the_event_lists_the_alarms_metrics(cloud, cw, clock, name, state_changes):
    from tests.localcloud.cloudwatch.alarm_support import received

    math_alarm(cw, name, "errors / invocations")
    put(cw, f"{name}-errors", when=clock.start - 5, value=3.0)
    put(cw, f"{name}-invocations", when=clock.start - 5, value=3.0)
    cloud.alarms.evaluate_now()
    [event] = received(cloud, state_changes, 1)
    assert event["detail"]["configuration"]["metrics"] == [
        {"id": "errors", "metricStat": {"metric": {"namespace": NAMESPACE, "name": f"{name}-errors", "dimensions": {}},
                                        "period": 10, "stat": "Sum"}, "returnData": False},
        {"id": "invocations", "metricStat": {"metric": {"namespace": NAMESPACE, "name": f"{name}-invocations",
                                                        "dimensions": {}}, "period": 10, "stat": "Sum"},
         "returnData": False},
        {"id": "rate", "expression": "errors / invocations", "label": "error rate", "returnData": True}]
    assert json.loads(event["detail"]["state"]["reasonData"])["recentDatapoints"] == [1.0]
