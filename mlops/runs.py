"""Pipeline runs as an operator sees them, against AWS or the embedded cloud alike.

Only AWS APIs are used (Step Functions, SageMaker, S3), so the same code serves `mlops demo`
on the embedded cloud and the CLI against a real account.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable

TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}


@dataclass
class RunSummary:
    execution_arn: str
    status: str
    failed_state: str | None = None
    error: str | None = None
    cause: str | None = None
    output: dict = field(default_factory=dict)
    input: dict = field(default_factory=dict)
    evaluation: dict | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"


def execution_arn(state_machine_arn: str, name: str) -> str:
    prefix = state_machine_arn.replace(":stateMachine:", ":execution:")
    return f"{prefix}:{name}"


def wait_for_execution(sfn, arn: str, *, timeout: float, on_state: Callable[[str, float], None] | None = None,
                       poll: float = 0.5) -> RunSummary:
    """Poll until the execution ends, reporting each state the first time it is entered
    (polling loops re-enter their Wait and Describe states many times)."""
    started = time.monotonic()
    seen_states = 0
    while True:
        try:
            description = sfn.describe_execution(executionArn=arn)
        except sfn.exceptions.ExecutionDoesNotExist:
            description = None
        if description is not None:
            entered = _entered_states(sfn, arn)
            names = [name for name, _ in entered]
            for index, name in enumerate(names[seen_states:], start=seen_states):
                if on_state and name not in names[:index]:
                    on_state(name, time.monotonic() - started)
            seen_states = len(entered)
            if description["status"] in TERMINAL:
                return summarize(sfn, description, entered)
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"execution {arn} did not finish within {timeout:.0f} s")
        time.sleep(poll)


def _entered_states(sfn, arn: str) -> list[tuple[str, str]]:
    """(state name, history event type) of every state entered, in order."""
    entered: list[tuple[str, str]] = []
    for page in sfn.get_paginator("get_execution_history").paginate(executionArn=arn):
        for event in page["events"]:
            details = event.get("stateEnteredEventDetails")
            if event["type"].endswith("StateEntered") and details:
                entered.append((details["name"], event["type"]))
    return entered


def _failing_state(entered: list[tuple[str, str]]) -> str | None:
    """The state where the run went wrong: the last task that ran, not the Choice, Pass and
    Fail states that routed and shaped its failure; for a run rejected before any task, the
    state that rejected it."""
    for name, kind in reversed(entered):
        if kind == "TaskStateEntered":
            return name
    for name, kind in reversed(entered):
        if kind != "FailStateEntered":
            return name
    return entered[-1][0] if entered else None


def summarize(sfn, description: dict, entered: list[tuple[str, str]]) -> RunSummary:
    summary = RunSummary(
        execution_arn=description["executionArn"],
        status=description["status"],
        input=json.loads(description.get("input") or "{}"),
        output=json.loads(description.get("output") or "{}") if description.get("output") else {},
    )
    if summary.status != "SUCCEEDED":
        summary.error = description.get("error")
        summary.cause = description.get("cause")
        summary.failed_state = _failing_state(entered)
    return summary
