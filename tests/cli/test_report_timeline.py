"""How `mlops report` and `mlops runs show` turn an execution history into state durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mlops.reporting.timeline import format_seconds, state_spans

START = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)


def _event(kind: str, name: str, at_ms: int) -> dict:
    key = "stateEnteredEventDetails" if kind.endswith("Entered") else "stateExitedEventDetails"
    return {"type": kind, key: {"name": name}, "timestamp": START + timedelta(milliseconds=at_ms)}


@pytest.mark.parametrize(("seconds", "shown"), [(0.4, "0.4 s"), (12.34, "12.3 s"), (245, "4 min 05 s"),
                                                (3720, "1 h 02 min")])
def test_durations_read_as_a_person_would_say_them(seconds, shown):
    assert format_seconds(seconds) == shown


def test_a_duration_summed_from_milliseconds_reads_the_same_as_its_rounded_record():
    """A state visited twice, for 5 ms and 45 ms, took 0.050 s; summed in floats that is
    0.0499999..., which alone would read 0.0 s. The page (which keeps seconds to the
    millisecond) and the table must agree, on 0.1 s."""
    events = [_event("TaskStateEntered", "Poll", 0), _event("TaskStateExited", "Poll", 5),
              _event("TaskStateEntered", "Poll", 1000), _event("TaskStateExited", "Poll", 1045)]
    [span] = state_spans(events)
    assert span.visits == 2 and span.seconds != 0.05  # the float noise is there
    assert format_seconds(span.seconds) == format_seconds(span.to_dict()["seconds"]) == "0.1 s"
