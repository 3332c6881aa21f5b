"""When a schedule runs next: rate from its anchor, AWS's six-field cron in a time zone, at()
once, and bad expressions refused naming the problem."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mlops.localcloud.scheduler.expressions import InvalidExpression, parse

ANCHOR = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)


def test_rate_runs_every_interval_from_its_anchor():
    expression = parse("rate(5 minutes)")
    assert expression.next_after(ANCHOR, anchor=ANCHOR) == datetime(2026, 11, 27, 10, 5, tzinfo=UTC)
    assert expression.next_after(datetime(2026, 11, 27, 10, 7, tzinfo=UTC), anchor=ANCHOR) == \
        datetime(2026, 11, 27, 10, 10, tzinfo=UTC)


def test_rate_of_one_hour_and_days():
    assert parse("rate(1 hour)").interval == 3600
    assert parse("rate(2 days)").interval == 2 * 86400


def test_cron_weekdays_use_aws_numbering_sunday_is_1():
    # 2026-11-27 is a Friday; MON-FRI at 08:30 -> Monday 30 November.
    expression = parse("cron(30 8 ? * MON-FRI *)")
    assert expression.next_after(datetime(2026, 11, 27, 9, 0, tzinfo=UTC), anchor=ANCHOR) == \
        datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert parse("cron(0 0 ? * 1 *)").next_after(ANCHOR, anchor=ANCHOR).weekday() == 6  # Sunday


def test_cron_steps_lists_and_last_day_of_month():
    assert parse("cron(0/15 * * * ? *)").next_after(datetime(2026, 11, 27, 10, 16, tzinfo=UTC), anchor=ANCHOR) == \
        datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    assert parse("cron(0 12 L * ? *)").next_after(ANCHOR, anchor=ANCHOR) == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert parse("cron(0 9 1,15 JAN,JUL ? 2027)").next_after(ANCHOR, anchor=ANCHOR) == \
        datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def test_cron_runs_in_the_schedule_time_zone():
    found = parse("cron(0 9 * * ? *)", "Europe/Berlin").next_after(ANCHOR, anchor=ANCHOR)
    assert found.astimezone(UTC) == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # 09:00 CET = 08:00 UTC


def test_a_cron_that_never_runs_again_has_no_next_time():
    assert parse("cron(0 0 1 1 ? 2020)").next_after(ANCHOR, anchor=ANCHOR) is None


def test_at_runs_once_in_its_time_zone():
    expression = parse("at(2026-11-27T12:00:00)", "America/New_York")
    assert expression.next_after(ANCHOR, anchor=ANCHOR) == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert expression.next_after(datetime(2026, 11, 27, 18, 0, tzinfo=UTC), anchor=ANCHOR) is None


@pytest.mark.parametrize(("text", "zone", "problem"), [
    ("rate(0 minutes)", None, "positive"),
    ("rate(5 weeks)", None, "expected rate"),
    ("cron(0 12 * * *)", None, "6 fields"),
    ("cron(0 12 * * MON *)", None, "exactly one of day-of-month and day-of-week"),
    ("cron(61 12 * * ? *)", None, "'61' is outside 0-59"),
    ("cron(0 12 ? * 6#3 *)", None, "not supported"),
    ("at(2026-13-01T00:00:00)", None, "month"),
    ("every 5 minutes", None, "expected rate"),
    ("rate(5 minutes)", "Mars/Olympus", "not an IANA time zone"),
])
def test_bad_expressions_are_refused_naming_the_problem(text, zone, problem):
    with pytest.raises(InvalidExpression, match=problem):
        parse(text, zone)
