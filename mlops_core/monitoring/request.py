"""The monitor's input (scheduler target input, `mlops monitor run`, direct invoke) and its window.

`{"model": str, "check": "data-quality"|"model-quality", "end_time"?: ISO 8601 (default now),
"window_minutes"?: int (default the model's monitoring.window_minutes)}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mlops_core.data_capture import parse_time
from mlops_core.monitoring.errors import InvalidRequest
from mlops_core.naming import MONITORING_CHECKS

MAX_WINDOW_MINUTES = 10080  # a week: the config's bound too


@dataclass(frozen=True)
class Window:
    """Captured requests with start < inferenceTime <= end are in the window."""

    start: datetime
    end: datetime

    def holds(self, when: datetime) -> bool:
        return self.start < when <= self.end

    def to_dict(self) -> dict[str, str]:
        return {"start": iso(self.start), "end": iso(self.end)}


@dataclass(frozen=True)
class MonitorRequest:
    model: str
    check: str
    window: Window

    @classmethod
    def from_event(cls, event: Any, *, default_window_minutes: int, now: datetime | None = None) -> MonitorRequest:
        if not isinstance(event, dict):
            raise InvalidRequest(f"the monitor request must be a JSON object, not {type(event).__name__}")
        model, check = event.get("model"), event.get("check")
        if not isinstance(model, str) or not model:
            raise InvalidRequest("model: a model name is required")
        if check not in MONITORING_CHECKS:
            raise InvalidRequest(f"check: must be one of {', '.join(MONITORING_CHECKS)}, not {check!r}")
        return cls(model, check, window(event.get("end_time"), event.get("window_minutes", default_window_minutes),
                                        now=now))


def window(end_time: Any, minutes: Any, *, now: datetime | None = None) -> Window:
    if end_time is None:
        end = now or datetime.now(UTC)
    else:
        try:
            end = parse_time(str(end_time))
        except ValueError:
            raise InvalidRequest(f"end_time: not an ISO 8601 time: {end_time!r}") from None
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_WINDOW_MINUTES:
        raise InvalidRequest(f"window_minutes: must be a whole number from 1 to {MAX_WINDOW_MINUTES}, not {minutes!r}")
    return Window(end - timedelta(minutes=minutes), end)


def iso(when: datetime) -> str:
    """`2026-11-27T10:00:00Z` (milliseconds only when there are any)."""
    text = when.astimezone(UTC).isoformat(timespec="milliseconds" if when.microsecond else "seconds")
    return text.replace("+00:00", "Z")
