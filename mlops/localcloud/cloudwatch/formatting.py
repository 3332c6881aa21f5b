"""How CloudWatch writes numbers and times in alarm reasons, reason data, history and events.

CloudWatch is a Java service: values in a StateReason read like Java's `Double.toString`
("3.0", "0.25", "1.0E7"), reason dates like "27/11/26 13:10:00" (UTC), and JSON timestamps like
"2026-11-27T13:10:00.000+0000". Keeping these exact lets people and parsers that know
CloudWatch's text read ours.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal


def java_double(value: float) -> str:
    """`value` as Java's Double.toString writes it (plain between 1e-3 and 1e7, else d.dddE<n>)."""
    value = float(value)
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)  # Python's shortest round-trip digits, plain notation in this range
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    digits_text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) + exponent - 1
    mantissa = digits_text[0] + "." + (digits_text[1:] or "0")
    return ("-" if sign else "") + f"{mantissa}E{power}"


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def naive_utc(epoch: float) -> datetime:
    """moto keeps alarm timestamps as naive UTC datetimes."""
    return utc(epoch).replace(tzinfo=None)


def epoch_of(timestamp: datetime) -> float:
    """Seconds since the epoch of a moto timestamp (naive ones are UTC)."""
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=timezone.utc)
    return timestamp.timestamp()


def json_time(epoch: float) -> str:
    """CloudWatch's JSON timestamps: milliseconds and a +0000 offset."""
    moment = utc(epoch)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def reason_time(epoch: float) -> str:
    """The datapoint time inside a StateReason: dd/mm/yy HH:MM:SS, UTC."""
    return utc(epoch).strftime("%d/%m/%y %H:%M:%S")


def event_time(epoch: float) -> str:
    """EventBridge's envelope `time`: seconds, Z."""
    return utc(epoch).strftime("%Y-%m-%dT%H:%M:%SZ")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
