"""Alarms go OK -> ALARM -> OK on the datapoints put, with CloudWatch's StateReason citing them."""

from __future__ import annotations

import time

import pytest

from tests.localcloud.cloudwatch.alarm_support import alarm, put, reason_data, state


def shown(epoch: float) -> str:
    """How a StateReason shows a datapoint's period start."""
    return time.strftime("%d/%m/%y %H:%M:%S", time.gmtime(epoch))


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(epoch))


def test_alarm_follows_the_datapoints_put(cloud, cw, clock, name):
    start = clock.start
    alarm(cw, name)
    assert (state(cw, name)["StateValue"], state(cw, name)["StateReason"]) == (
        "INSUFFICIENT_DATA", "Unchecked: Initial alarm creation")
    put(cw, name, when=start - 8, value=0.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    assert state(cw, name)["StateReason"] == (
        f"Threshold Crossed: 1 datapoint [0.0 ({shown(start - 10)})] was not greater than the threshold (0.0).")

    put(cw, name, when=start + 3, value=3.0)
    clock.advance(10)
    cloud.alarms.evaluate_now()
    described = state(cw, name)
    assert described["StateValue"] == "ALARM"
    assert described["StateReason"] == (
        f"Threshold Crossed: 1 datapoint [3.0 ({shown(start)})] was greater than the threshold (0.0).")
    data = reason_data(cw, name)
    assert data["evaluatedDatapoints"] == [{"timestamp": iso(start), "sampleCount": 1.0, "value": 3.0}]
    assert (data["version"], data["statistic"], data["period"], data["threshold"], data["recentDatapoints"]) == (
        "1.0", "Sum", 10, 0.0, [3.0])
    assert data["startDate"] == iso(start) and data["queryDate"] == iso(start + 10).replace(".000+", ".500+")
    assert described["StateTransitionedTimestamp"].timestamp() == pytest.approx(start + 10.5)

    put(cw, name, when=start + 12, value=0.0)
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"


def test_m_out_of_n_cites_the_breaching_datapoints(cloud, cw, clock, name):
    start = clock.start
    alarm(cw, name, EvaluationPeriods=3, DatapointsToAlarm=2)
    for offset, value in ((-30, 5.0), (-20, 0.0), (-10, 4.0)):
        put(cw, name, when=start + offset + 1, value=value)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateReason"] == (
        f"Threshold Crossed: 2 out of the last 3 datapoints [4.0 ({shown(start - 10)}), 5.0 ({shown(start - 30)})] "
        "were greater than the threshold (0.0) (minimum 2 datapoints for OK -> ALARM transition).")
    put(cw, name, when=start + 1, value=0.0)
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    assert state(cw, name)["StateReason"] == (
        f"Threshold Crossed: 2 out of the last 3 datapoints [0.0 ({shown(start)}), 0.0 ({shown(start - 20)})] "
        "were not greater than the threshold (0.0) (minimum 2 datapoints for ALARM -> OK transition).")


def test_one_of_one_with_datapoints_to_alarm_uses_the_m_of_n_wording(cloud, cw, clock, name):
    alarm(cw, name, DatapointsToAlarm=1)
    put(cw, name, when=clock.start - 5, value=3.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateReason"] == (
        f"Threshold Crossed: 1 out of the last 1 datapoints [3.0 ({shown(clock.start - 10)})] was greater than "
        "the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).")


def test_one_breaching_period_of_two_is_not_enough_without_datapoints_to_alarm(cloud, cw, clock, name):
    alarm(cw, name, EvaluationPeriods=2)
    put(cw, name, when=clock.start - 15, value=0.0)
    put(cw, name, when=clock.start - 5, value=9.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"


@pytest.mark.parametrize("statistic, expected", [
    ("SampleCount", 4.0), ("Average", 4.0), ("Sum", 16.0), ("Minimum", 1.0), ("Maximum", 10.0)])
def test_each_statistic_of_a_period(cloud, cw, clock, name, statistic, expected):
    alarm(cw, name, Statistic=statistic, Threshold=expected, ComparisonOperator="GreaterThanOrEqualToThreshold")
    put(cw, name, when=clock.start - 9, values=[1.0, 2.0, 3.0])
    put(cw, name, when=clock.start - 2, value=10.0)
    put(cw, name, when=clock.start + 1, value=100.0)  # the current, partial period is not evaluated
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"
    assert reason_data(cw, name)["evaluatedDatapoints"][0]["value"] == expected
    assert reason_data(cw, name)["evaluatedDatapoints"][0]["sampleCount"] == 4.0


def test_percentile_over_values_with_counts(cloud, cw, clock, name):
    alarm(cw, name, Statistic=None, ExtendedStatistic="p90", Threshold=1000.0, Unit="Microseconds")
    put(cw, name, when=clock.start - 5, values=[100.0, 5000.0], counts=[95, 5], unit="Microseconds")
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    put(cw, name, when=clock.start + 5, values=[100.0, 5000.0], counts=[80, 20], unit="Microseconds")
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"
    data = reason_data(cw, name)
    assert (data["extendedStatistic"], data["unit"], data["evaluatedDatapoints"][0]["value"]) == (
        "p90", "Microseconds", 5000.0)


def test_only_the_exact_dimension_set_and_unit_count(cloud, cw, clock, name):
    dims = [{"Name": "EndpointName", "Value": "e"}, {"Name": "VariantName", "Value": "v"}]
    alarm(cw, name, Dimensions=dims, Unit="Count")
    put(cw, name, when=clock.start - 9, value=5.0, dimensions=dims[:1], unit="Count")
    put(cw, name, when=clock.start - 8, value=5.0, unit="Count",
        dimensions=[*dims, {"Name": "EndpointConfigName", "Value": "c"}])
    put(cw, name, when=clock.start - 7, value=5.0, dimensions=list(reversed(dims)), unit="Seconds")
    put(cw, name, when=clock.start - 6, value=0.0, dimensions=list(reversed(dims)), unit="Count")
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    assert reason_data(cw, name)["evaluatedDatapoints"][0]["sampleCount"] == 1.0


def test_statistic_sets_count_like_the_values_they_summarise(cloud, cw, clock, name):
    alarm(cw, name, Statistic="Average", Threshold=2.0)
    cw.put_metric_data(Namespace="Local/AlarmTests", MetricData=[{
        "MetricName": name, "Timestamp": clock.start - 5,
        "StatisticValues": {"SampleCount": 4, "Sum": 12.0, "Minimum": 1.0, "Maximum": 5.0}}])
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"
    assert reason_data(cw, name)["evaluatedDatapoints"][0] == {
        "timestamp": iso(clock.start - 10), "sampleCount": 4.0, "value": 3.0}


def test_a_percentile_from_too_few_samples_keeps_the_state_when_asked_to(cloud, cw, clock, name):
    alarm(cw, name, Statistic=None, ExtendedStatistic="p99", Threshold=10.0,
          EvaluateLowSampleCountPercentile="ignore")
    put(cw, name, when=clock.start - 5, values=[50.0, 60.0, 70.0])  # p99 wants 100 samples
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "INSUFFICIENT_DATA"
    put(cw, name, when=clock.start + 5, values=[50.0], counts=[100])
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"
