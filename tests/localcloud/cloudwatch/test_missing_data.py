"""TreatMissingData: missing, notBreaching, breaching and ignore, with CloudWatch's reasons."""

from __future__ import annotations

from tests.localcloud.cloudwatch.alarm_support import alarm, put, state


def history_count(cw, name: str) -> int:
    return len(cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate")["AlarmHistoryItems"])


def test_missing_goes_to_insufficient_data_when_every_datapoint_is_missing(cloud, cw, clock, name):
    alarm(cw, name, EvaluationPeriods=2, TreatMissingData="missing")
    put(cw, name, when=clock.start - 5, value=0.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
    clock.advance(20)
    cloud.alarms.evaluate_now()
    assert (state(cw, name)["StateValue"], state(cw, name)["StateReason"]) == (
        "INSUFFICIENT_DATA", "Insufficient Data: 2 datapoints were unknown.")


def test_missing_evaluates_with_the_datapoints_present(cloud, cw, clock, name):
    alarm(cw, name, EvaluationPeriods=3)  # 3 of 3, but only one period has data: it decides
    put(cw, name, when=clock.start - 5, value=7.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"


def test_breaching_alarms_on_silence(cloud, cw, clock, name):
    alarm(cw, name, TreatMissingData="breaching")
    cloud.alarms.evaluate_now()
    assert (state(cw, name)["StateValue"], state(cw, name)["StateReason"]) == (
        "ALARM", "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was "
                 "treated as [Breaching].")


def test_breaching_counts_missing_periods_with_the_present_ones(cloud, cw, clock, name):
    alarm(cw, name, EvaluationPeriods=2, DatapointsToAlarm=1, TreatMissingData="breaching")
    put(cw, name, when=clock.start - 5, value=0.0)  # the older period is missing
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"
    assert state(cw, name)["StateReason"] == ("Threshold Crossed: 1 missing datapoint was treated as [Breaching] "
                                              "(minimum 1 datapoint for OK -> ALARM transition).")


def test_not_breaching_returns_to_ok_on_silence(cloud, cw, clock, name):
    alarm(cw, name, TreatMissingData="notBreaching")
    put(cw, name, when=clock.start - 5, value=1.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert (state(cw, name)["StateValue"], state(cw, name)["StateReason"]) == (
        "OK", "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was "
              "treated as [NonBreaching].")


def test_ignore_keeps_the_state_on_silence(cloud, cw, clock, name):
    alarm(cw, name, TreatMissingData="ignore")
    put(cw, name, when=clock.start - 5, value=1.0)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM"
    before = history_count(cw, name)
    clock.advance(30)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "ALARM" and history_count(cw, name) == before
    put(cw, name, when=clock.now + 1, value=0.0)
    clock.advance(10)
    cloud.alarms.evaluate_now()
    assert state(cw, name)["StateValue"] == "OK"
