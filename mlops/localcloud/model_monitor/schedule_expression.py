"""When a monitoring schedule runs and which captured data one run analyses.

Model Monitor accepts few schedule expressions (API reference, ScheduleConfig): hourly
`cron(0 * ? * * *)`, daily at an hour `cron(0 H ? * * *)`, every N hours from an hour
`cron(0 H/N ? * * *)` (H 0-23, N 1-24, cron's meaning: H, H+N, ... up to 23 each day) and `NOW`,
one run at once. DataAnalysisStartTime / DataAnalysisEndTime are ISO 8601 durations added to
each run's scheduled time (`-PT1H`); NOW needs both, and the end may follow the start by at most
24 hours. Without them a run analyses the full hour before its scheduled time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

NOW = "NOW"
MAX_WINDOW = timedelta(hours=24)
_CRON = re.compile(r"cron\(0 (\*|\d{1,2}(?:/\d{1,2})?) \? \* \* \*\)")
_DURATION = re.compile(r"([+-])?P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
ACCEPTED = ("cron(0 * ? * * *) (hourly), cron(0 H ? * * *) (daily at hour H, 0-23), "
            "cron(0 H/N ? * * *) (every N hours from hour H, N 1-24) or NOW (one run, at once)")


class InvalidSchedule(ValueError):
    """The ScheduleConfig is not one Model Monitor accepts; the message says why."""


@dataclass(frozen=True)
class ScheduleExpression:
    hours: frozenset[int] | None  # the hours of the day it runs at (minute 0); None: NOW

    @property
    def once(self) -> bool:
        return self.hours is None

    def latest_at_or_before(self, moment: datetime) -> datetime:
        """The last scheduled time not after `moment` (a UTC datetime)."""
        hour = moment.replace(minute=0, second=0, microsecond=0)
        while hour.hour not in self.hours:
            hour -= timedelta(hours=1)
        return hour

    def next_after(self, moment: datetime) -> datetime:
        hour = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        while hour.hour not in self.hours:
            hour += timedelta(hours=1)
        return hour


@dataclass(frozen=True)
class AnalysisOffsets:
    start: timedelta
    end: timedelta


def parse_expression(text: str) -> ScheduleExpression:
    if text == NOW:
        return ScheduleExpression(None)
    match = _CRON.fullmatch(text or "")
    if not match:
        raise InvalidSchedule(f"ScheduleExpression {text!r} is not supported. Model Monitor accepts {ACCEPTED}.")
    field = match.group(1)
    if field == "*":
        return ScheduleExpression(frozenset(range(24)))
    first, _, step = field.partition("/")
    if not 0 <= int(first) <= 23 or (step and not 1 <= int(step) <= 24):
        raise InvalidSchedule(f"ScheduleExpression {text!r}: the hour must be 0-23 and the interval 1-24 "
                              f"hours. Model Monitor accepts {ACCEPTED}.")
    return ScheduleExpression(frozenset(range(int(first), 24, int(step or 24))))


def parse_offsets(schedule_config: dict) -> AnalysisOffsets | None:
    """The analysis offsets of a ScheduleConfig (None: the default previous hour), checked."""
    start, end = schedule_config.get("DataAnalysisStartTime"), schedule_config.get("DataAnalysisEndTime")
    if schedule_config.get("ScheduleExpression") == NOW and (start is None or end is None):
        raise InvalidSchedule("DataAnalysisStartTime and DataAnalysisEndTime are required when the "
                              "ScheduleExpression is NOW.")
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise InvalidSchedule("DataAnalysisStartTime and DataAnalysisEndTime must be given together.")
    offsets = AnalysisOffsets(_duration("DataAnalysisStartTime", start), _duration("DataAnalysisEndTime", end))
    if offsets.start >= offsets.end:
        raise InvalidSchedule(f"DataAnalysisStartTime ({start}) must be before DataAnalysisEndTime ({end}).")
    if offsets.end - offsets.start > MAX_WINDOW:
        raise InvalidSchedule(f"DataAnalysisEndTime ({end}) must not follow DataAnalysisStartTime ({start}) by "
                              f"more than 24 hours.")
    return offsets


def analysis_window(offsets: AnalysisOffsets | None, scheduled: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the captured data one run scheduled at `scheduled` analyses."""
    if offsets is None:
        end = scheduled.replace(minute=0, second=0, microsecond=0)
        return end - timedelta(hours=1), end
    return scheduled + offsets.start, scheduled + offsets.end


def _duration(field: str, text) -> timedelta:
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise InvalidSchedule(f"{field} {text!r} is not an ISO 8601 duration such as -PT1H or -PT0H.")
    sign, days, hours, minutes, seconds = match.groups()
    value = timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                      seconds=int(seconds or 0))
    return -value if sign == "-" else value
