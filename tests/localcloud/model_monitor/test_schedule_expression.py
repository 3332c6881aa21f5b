"""Model Monitor's schedule expressions and analysis offsets (API reference, ScheduleConfig)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mlops.localcloud.model_monitor.schedule_expression import (
    InvalidSchedule,
    analysis_window,
    parse_expression,
    parse_offsets,
)

AT = datetime(2026, 3, 2, 10, 20, tzinfo=UTC)


@pytest.mark.parametrize("text, hours", [
    ("cron(0 * ? * * *)", set(range(24))),
    ("cron(0 12 ? * * *)", {12}),
    ("cron(0 00 ? * * *)", {0}),
    ("cron(0 0/6 ? * * *)", {0, 6, 12, 18}),
    ("cron(0 17/12 ? * * *)", {17}),
    ("cron(0 1/24 ? * * *)", {1}),
])
def test_the_documented_cron_forms_run_at_their_hours(text, hours):
    assert parse_expression(text).hours == frozenset(hours)


@pytest.mark.parametrize("text", [
    "cron(0 */2 ? * * *)", "cron(30 * ? * * *)", "cron(0 24 ? * * *)", "cron(0 0/25 ? * * *)",
    "cron(0 0/0 ? * * *)", "cron(0 * * * ? *)", "rate(1 hour)", "now", "",
])
def test_other_expressions_are_refused_naming_the_accepted_forms(text):
    with pytest.raises(InvalidSchedule, match=r"cron\(0 \* \? \* \* \*\) \(hourly\)|hour must be 0-23"):
        parse_expression(text)


def test_now_runs_once():
    assert parse_expression("NOW").once


def test_times_step_to_the_next_and_latest_run():
    every_six = parse_expression("cron(0 0/6 ? * * *)")
    assert every_six.next_after(AT) == datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert every_six.latest_at_or_before(AT) == datetime(2026, 3, 2, 6, tzinfo=UTC)
    assert parse_expression("cron(0 3 ? * * *)").next_after(AT) == datetime(2026, 3, 3, 3, tzinfo=UTC)


def test_without_offsets_a_run_analyses_the_previous_full_hour():
    assert analysis_window(None, AT) == (datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 2, 10, tzinfo=UTC))


def test_offsets_are_iso_durations_from_the_scheduled_time():
    offsets = parse_offsets({"ScheduleExpression": "NOW", "DataAnalysisStartTime": "-PT2H30M",
                             "DataAnalysisEndTime": "-PT0H"})
    assert analysis_window(offsets, AT) == (AT - timedelta(hours=2, minutes=30), AT)
    assert parse_offsets({"ScheduleExpression": "cron(0 * ? * * *)"}) is None


@pytest.mark.parametrize("config, message", [
    ({"ScheduleExpression": "NOW"}, "required when the ScheduleExpression is NOW"),
    ({"ScheduleExpression": "NOW", "DataAnalysisStartTime": "-PT1H"}, "required when the ScheduleExpression is NOW"),
    ({"ScheduleExpression": "cron(0 * ? * * *)", "DataAnalysisEndTime": "-PT0H"}, "must be given together"),
    ({"ScheduleExpression": "NOW", "DataAnalysisStartTime": "1 hour", "DataAnalysisEndTime": "-PT0H"},
     "DataAnalysisStartTime '1 hour' is not an ISO 8601 duration"),
    ({"ScheduleExpression": "NOW", "DataAnalysisStartTime": "-PT", "DataAnalysisEndTime": "-PT0H"},
     "is not an ISO 8601 duration"),
    ({"ScheduleExpression": "NOW", "DataAnalysisStartTime": "-PT1H", "DataAnalysisEndTime": "-PT2H"},
     r"DataAnalysisStartTime \(-PT1H\) must be before DataAnalysisEndTime \(-PT2H\)"),
    ({"ScheduleExpression": "NOW", "DataAnalysisStartTime": "-P1DT1H", "DataAnalysisEndTime": "-PT0H"},
     "by more than 24 hours"),
])
def test_bad_offsets_are_refused_with_the_reason(config, message):
    with pytest.raises(InvalidSchedule, match=message):
        parse_offsets(config)


def test_a_full_day_is_the_longest_window():
    offsets = parse_offsets({"ScheduleExpression": "NOW", "DataAnalysisStartTime": "-P1D",
                             "DataAnalysisEndTime": "-PT0H"})
    assert offsets.end - offsets.start == timedelta(hours=24)
