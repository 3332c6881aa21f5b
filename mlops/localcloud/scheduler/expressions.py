"""EventBridge Scheduler's schedule expressions: when a schedule runs next.

`rate(value unit)` (minute(s), hour(s), day(s)) repeats from the schedule's anchor (its
StartDate, else when it was created or last updated); `cron(minutes hours day-of-month month
day-of-week year)` is AWS's six-field cron (`*`, `?`, `,`, `-`, `/`, month and weekday names,
`L` for the last day of the month, weekdays 1-7 = SUN-SAT) in ScheduleExpressionTimezone;
`at(yyyy-mm-ddThh:mm:ss)` runs once, in that timezone. Scheduler's `W` and `#` forms are
refused by name rather than run wrongly.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_CRON = re.compile(r"^cron\((.+)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {name: i for i, name in enumerate(calendar.month_abbr) if name}
_WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_SPECIAL = re.compile(r"#|^\d+W$|^LW$|^\d+L$")  # nth weekday, nearest weekday, last weekday of month
_SEARCH_DAYS = 366 * 5  # a cron with no run in five years is treated as never running again


class InvalidExpression(ValueError):
    """The expression is not one Scheduler accepts; the message names the problem."""


@dataclass(frozen=True)
class Expression:
    kind: str  # "rate" | "cron" | "at"
    text: str
    zone: ZoneInfo | timezone
    interval: int = 0  # rate: seconds
    at: datetime | None = None  # at: the one run, aware
    fields: tuple[frozenset[int] | str, ...] = ()  # cron: minutes, hours, dom, months, dow, years

    def next_after(self, after: datetime, *, anchor: datetime) -> datetime | None:
        """The first run strictly after `after` (aware datetimes), or None when none is left."""
        if self.kind == "rate":
            if after < anchor:
                return anchor + timedelta(seconds=self.interval)
            steps = int((after - anchor).total_seconds() // self.interval) + 1
            return anchor + timedelta(seconds=steps * self.interval)
        if self.kind == "at":
            return self.at if self.at > after else None
        return _next_cron(self.fields, after.astimezone(self.zone))


def parse(text: str, timezone_name: str | None = None) -> Expression:
    zone = _zone(timezone_name or "UTC")
    text = (text or "").strip()
    if match := _RATE.match(text):
        value, unit = int(match.group(1)), match.group(2).rstrip("s")
        if value < 1:
            raise InvalidExpression(f"Invalid Schedule Expression {text}: the rate must be a positive number.")
        return Expression("rate", text, zone, interval=value * _UNIT_SECONDS[unit])
    if match := _AT.match(text):
        try:
            moment = datetime.fromisoformat(match.group(1)).replace(tzinfo=zone)
        except ValueError as exc:
            raise InvalidExpression(f"Invalid Schedule Expression {text}: {exc}.") from None
        return Expression("at", text, zone, at=moment)
    if match := _CRON.match(text):
        return Expression("cron", text, zone, fields=_cron_fields(text, match.group(1).split()))
    raise InvalidExpression(f"Invalid Schedule Expression {text}: expected rate(value unit), "
                            "cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss).")


def _zone(name: str):
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidExpression(f"Invalid ScheduleExpressionTimezone {name}: not an IANA time zone.") from None


def _cron_fields(text: str, parts: list[str]) -> tuple:
    if len(parts) != 6:
        raise InvalidExpression(f"Invalid Schedule Expression {text}: cron needs 6 fields "
                                f"(minutes hours day-of-month month day-of-week year), found {len(parts)}.")
    minutes, hours, dom, month, dow, year = parts
    if (dom == "?") == (dow == "?"):
        raise InvalidExpression(f"Invalid Schedule Expression {text}: exactly one of day-of-month and "
                                "day-of-week must be '?'.")
    return (
        _field(text, minutes, 0, 59), _field(text, hours, 0, 23),
        "?" if dom == "?" else ("L" if dom == "L" else _field(text, dom, 1, 31)),
        _field(text, month, 1, 12, _MONTHS), "?" if dow == "?" else _field(text, dow, 1, 7, _WEEKDAYS),
        _field(text, year, 1970, 2199),
    )


def _field(text: str, spec: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    values: set[int] = set()
    for part in spec.split(","):
        if _SPECIAL.search(part):
            raise InvalidExpression(f"Invalid Schedule Expression {text}: '{part}' (W, # and nL forms) is not "
                                    "supported by the embedded cloud's scheduler.")
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = _number(text, step_text, 1, high, None)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _number(text, first, low, high, names), _number(text, last, low, high, names)
        else:
            start = _number(text, part, low, high, names)
            end = high if step > 1 else start
        values.update(range(start, end + 1, step))
    return frozenset(values)


def _number(text: str, value: str, low: int, high: int, names: dict[str, int] | None) -> int:
    if names and value.upper() in {k.upper(): v for k, v in names.items()}:
        return {k.upper(): v for k, v in names.items()}[value.upper()]
    if not value.isdigit() or not low <= int(value) <= high:
        raise InvalidExpression(f"Invalid Schedule Expression {text}: '{value}' is outside {low}-{high}.")
    return int(value)


def _next_cron(fields: tuple, after: datetime) -> datetime | None:
    minutes, hours, dom, months, dow, years = fields
    start = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = start.date()
    for _ in range(_SEARCH_DAYS):
        if day.year in years and day.month in months and _day_matches(day, dom, dow):
            first_hour = start.hour if day == start.date() else 0
            for hour in sorted(h for h in hours if h >= first_hour):
                first_minute = start.minute if (day == start.date() and hour == start.hour) else 0
                found = [m for m in sorted(minutes) if m >= first_minute]
                if found:
                    return datetime(day.year, day.month, day.day, hour, found[0], tzinfo=after.tzinfo)
        day += timedelta(days=1)
    return None


def _day_matches(day, dom, dow) -> bool:
    if dom == "L":
        return day.day == calendar.monthrange(day.year, day.month)[1]
    if dom != "?":
        return day.day in dom
    return (day.isoweekday() % 7) + 1 in dow  # ISO Monday=1..Sunday=7 -> AWS SUN=1..SAT=7
