"""A run's states from GetExecutionHistory: when each was first entered and last left, how long
it took in all (polling loops enter their Wait and Describe states many times) and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class StateSpan:
    name: str
    kind: str                      # the history event type prefix: Task, Wait, Choice, Pass, Fail, ...
    first_entered: datetime
    last_exited: datetime | None
    seconds: float                 # time spent inside the state, summed over its visits
    visits: int
    outcome: str                   # succeeded | failed | caught | running

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "entered": self.first_entered.isoformat(),
                "exited": self.last_exited.isoformat() if self.last_exited else None,
                "seconds": round(self.seconds, 3), "visits": self.visits, "outcome": self.outcome}


def history_events(sfn, arn: str) -> list[dict]:
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=arn)
    return [event for page in pages for event in page["events"]]


def state_spans(events: list[dict], end: datetime | None = None) -> list[StateSpan]:
    """One span per state, in order of first entry. A state still open when the history ends
    counts up to `end` (the execution's stop date, or now for a running one)."""
    spans: dict[str, StateSpan] = {}
    open_since: dict[str, datetime] = {}
    current: str | None = None
    for event in events:
        kind = event["type"]
        if kind.endswith("StateEntered"):
            name = event["stateEnteredEventDetails"]["name"]
            span = spans.get(name)
            if span is None:
                span = spans[name] = StateSpan(name, kind.removesuffix("StateEntered"), event["timestamp"],
                                               None, 0.0, 0, "running")
            span.visits += 1
            span.outcome = "failed" if kind == "FailStateEntered" else "running"
            open_since[name] = event["timestamp"]
            current = name
        elif kind.endswith("StateExited"):
            name = event["stateExitedEventDetails"]["name"]
            span = spans.get(name)
            if span is not None and name in open_since:
                span.seconds += (event["timestamp"] - open_since.pop(name)).total_seconds()
                span.last_exited = event["timestamp"]
                if span.outcome == "running":
                    span.outcome = "succeeded"
        elif kind in ("TaskFailed", "TaskTimedOut", "LambdaFunctionFailed") and current in spans:
            spans[current].outcome = "caught"  # a Catch routes it on; a failure without one ends the run
        elif kind in ("ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted") and current in spans:
            if spans[current].outcome in ("running", "caught"):
                spans[current].outcome = "failed"
    for name, since in open_since.items():
        stop = end or since
        spans[name].seconds += max(0.0, (stop - since).total_seconds())
        if spans[name].outcome == "failed":
            spans[name].last_exited = stop
    return list(spans.values())


def task_outputs(events: list[dict], resource_type: str, resource: str) -> list[tuple[datetime, str]]:
    """(time, raw output) of every successful task that called `resource` of `resource_type`
    (history names them apart: resourceType "aws-sdk:sagemaker", resource "describeEndpoint")."""
    found = []
    for event in events:
        details = event.get("taskSucceededEventDetails")
        if (event["type"] == "TaskSucceeded" and details and details.get("resource") == resource
                and details.get("resourceType") == resource_type):
            found.append((event["timestamp"], details.get("output") or "{}"))
    return found


def format_seconds(seconds: float) -> str:
    """What a person reads: 0.4 s, 12.3 s, 4 min 05 s, 1 h 02 min."""
    # Step Functions times are whole milliseconds: drop the float noise of summing them first,
    # so 0.050 s reads 0.1 s whether it was summed as 0.04999... or read back as 0.05.
    seconds = round(seconds, 3)
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
