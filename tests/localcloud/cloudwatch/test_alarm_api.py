"""PutMetricAlarm checks what CloudWatch checks, keeps an updated alarm's state, and
DescribeAlarmHistory pages and refuses bad input."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.localcloud.cloudwatch.alarm_support import alarm, put, state


@pytest.mark.parametrize("overrides, code, words", [
    ({"Period": 20}, "ValidationError", "Period must be 10, 30 or a multiple of 60"),
    ({"EvaluationPeriods": 2, "DatapointsToAlarm": 3}, "ValidationError", "DatapointsToAlarm"),
    ({"TreatMissingData": "sometimes"}, "ValidationError", "treatMissingData"),
    ({"ComparisonOperator": "Above"}, "ValidationError", "comparisonOperator"),
    ({"Statistic": "Median"}, "ValidationError", "statistic"),
    ({"Statistic": None, "ExtendedStatistic": "p101"}, "InvalidParameterValue", "p101"),
    ({"ExtendedStatistic": "p99"}, "InvalidParameterCombination", "mutually exclusive"),
])
def test_bad_alarms_are_refused_naming_the_problem(cw, name, overrides, code, words):
    with pytest.raises(ClientError) as raised:
        alarm(cw, name, **overrides)
    assert raised.value.response["Error"]["Code"] == code
    assert words in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("period", [10, 30, 60, 300, 3600])
def test_supported_periods_are_accepted(cw, name, period):
    alarm(cw, name, Period=period)
    assert state(cw, name)["Period"] == period


def test_an_update_keeps_the_alarms_state(cloud, cw, clock, name):
    alarm(cw, name)
    put(cw, name, when=clock.start - 4, value=2.0)
    cloud.alarms.evaluate_now()
    reason = state(cw, name)["StateReason"]
    alarm(cw, name, AlarmDescription="now described")
    described = state(cw, name)
    assert (described["StateValue"], described["StateReason"], described["AlarmDescription"]) == (
        "ALARM", reason, "now described")
    summaries = [i["HistorySummary"] for i in cw.describe_alarm_history(
        AlarmName=name, HistoryItemType="ConfigurationUpdate")["AlarmHistoryItems"]]
    assert summaries == [f'Alarm "{name}" updated', f'Alarm "{name}" created']


def test_anomaly_detection_alarms_say_they_cannot_be_evaluated(cloud, cw, clock, name):
    cw.put_metric_alarm(
        AlarmName=name, EvaluationPeriods=1, ComparisonOperator="LessThanLowerOrGreaterThanUpperThreshold",
        ThresholdMetricId="band", Metrics=[
            {"Id": "m1", "ReturnData": True, "MetricStat": {
                "Metric": {"Namespace": "Local/AlarmTests", "MetricName": name}, "Period": 60, "Stat": "Sum"}},
            {"Id": "band", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": True}])
    cloud.alarms.evaluate_now()
    described = state(cw, name)
    assert described["StateValue"] == "INSUFFICIENT_DATA"
    assert "anomaly detection" in described["StateReason"]


def test_history_refuses_a_token_it_did_not_give(cw, name):
    alarm(cw, name)
    with pytest.raises(ClientError) as raised:
        cw.describe_alarm_history(AlarmName=name, NextToken="not-a-token")
    assert raised.value.response["Error"]["Code"] == "InvalidNextToken"


def test_history_outlives_the_alarm(cw, name):
    alarm(cw, name)
    cw.delete_alarms(AlarmNames=[name])
    assert cw.describe_alarm_history(AlarmName=name)["AlarmHistoryItems"]
