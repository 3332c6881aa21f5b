"""The background runner of every EventBridge Scheduler schedule in the embedded cloud
(`cloud.schedules`).

moto stores schedules but never runs them. Here a thread checks twice a second which ENABLED
schedules are due on `clock` (epoch seconds, replaceable like `cloud.alarms.clock`) and runs
each due one once: a clock moved far ahead runs a schedule once, not once per missed period
(tests step it deliberately). Past EndDate nothing runs; an `at()` schedule with
ActionAfterCompletion DELETE is deleted after its run. FlexibleTimeWindow FLEXIBLE runs at the
window's start, a time Scheduler may also pick.

A run assumes the target's role and invokes the target (`targets`). Errors that Scheduler
retries (throttling, 5xx) are retried up to RetryPolicy.MaximumRetryAttempts, with delays and
the event age compressed (one minute here is one second); the rest, and retries spent, send the
input to DeadLetterConfig's queue with Scheduler's attributes (ERROR_CODE, ERROR_MESSAGE,
EXECUTION_ID, RETRY_ATTEMPTS, SCHEDULE_ARN, TARGET_ARN), as the role. Every run is kept in
`runs`. Lambda targets are invoked synchronously (Scheduler invokes them asynchronously, but
the function sees the same event), so `run_due()` and `run_now()` can wait for the result.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mlops.localcloud.clocked_runner import ClockedRunner
from mlops.localcloud.credentials import role_session
from mlops.localcloud.scheduler import expressions, targets
from mlops.localcloud.scheduler.recording import record_assume_role

LOG = logging.getLogger(__name__)
RETRY_DELAY_SECONDS = 0.2


class ScheduleNotRunnable(Exception):
    """run_now was asked for a schedule that does not exist or is DISABLED."""


@dataclass
class ScheduleRun:
    schedule_arn: str
    target_arn: str
    scheduled_time: str
    execution_id: str
    outcome: str = "pending"  # delivered | failed
    result: object = None  # what the target answered
    error: str | None = None
    attempts: int = 0
    done: threading.Event = field(default_factory=threading.Event, repr=False)


class ScheduleRunner(ClockedRunner):
    def __init__(self, *, endpoint_url: str, region: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__(name="scheduler", clock=clock, workers=4)
        self.endpoint_url = endpoint_url
        self.region = region
        self.runs: list[ScheduleRun] = []
        self._next: dict[tuple, tuple] = {}  # schedule identity -> (anchor, next run or None: never), epochs

    def run_now(self, name: str, group: str | None = None):
        """Run schedule `name` (of `group`, default "default") once now and return what its
        target answered (a Lambda function's result); raises ScheduleNotRunnable for an unknown
        or DISABLED schedule and RuntimeError when the target could not be invoked."""
        found = [(b, s) for b, s in _schedules() if s.name == name and s.group_name == (group or "default")]
        if not found:
            raise ScheduleNotRunnable(f"Schedule {name} does not exist in group {group or 'default'}.")
        backend, schedule = found[0]
        if schedule.state != "ENABLED":
            raise ScheduleNotRunnable(f"Schedule {name} is {schedule.state}: a disabled schedule does not run.")
        run = self._run(backend, schedule, self.clock())
        if run.outcome != "delivered":
            raise RuntimeError(f"Schedule {name} could not invoke {run.target_arn}: {run.error}")
        return run.result

    def run_due(self, timeout: float = 300.0) -> list[ScheduleRun]:
        """Start every schedule due at `clock()` and wait for those runs (for a controlled clock)."""
        started = self._pass()
        for future in started:
            future.result(timeout=timeout)
        return [future.result() for future in started]

    def _pass(self) -> list[Future]:
        now, started, seen = self.clock(), [], {}
        with self._lock:
            for backend, schedule in _schedules():
                key = (schedule.arn, schedule.last_modified_date)
                # A rate repeats from StartDate, else from when the runner (on its clock) first saw
                # the schedule as it is now: creation or last update, as Scheduler anchors it.
                anchor, due = self._next.get(key) or (now, _first_due(schedule, now, now))
                if schedule.state == "ENABLED" and due is not None and due <= now:
                    started.append(self._pool.submit(self._run, backend, schedule, due))
                    due = _due_after(schedule, now, anchor)
                seen[key] = (anchor, due)
            self._next = seen
        return started

    def _run(self, backend, schedule, due: float) -> ScheduleRun:
        target = dict(schedule.target)
        scheduled = datetime.fromtimestamp(due, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        run = ScheduleRun(schedule.arn, target["Arn"], scheduled, str(uuid.uuid4()))
        with self._lock:
            self.runs.append(run)
        try:
            self._deliver(schedule, target, run)
            if _one_time(schedule) and (schedule.action_after_completion or "NONE") == "DELETE":
                backend.delete_schedule(schedule.group_name, schedule.name)
        except Exception as exc:  # a broken schedule must never take the runner down
            LOG.exception("schedule %s failed", schedule.arn)
            run.outcome, run.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            run.done.set()
        return run

    def _deliver(self, schedule, target: dict, run: ScheduleRun) -> None:
        group_arn = schedule.arn.replace(":schedule/", ":schedule-group/").rsplit("/", 1)[0]
        record_assume_role(target["RoleArn"], schedule_name=schedule.name, group_arn=group_arn)
        session = role_session(target["RoleArn"], endpoint_url=self.endpoint_url, region=self.region,
                               session_name=schedule.name)
        policy = target.get("RetryPolicy") or {}
        max_retries = int(policy.get("MaximumRetryAttempts", 185))
        max_age = int(policy.get("MaximumEventAgeInSeconds", 86400)) / 60.0  # compressed, as the delays
        started, error = time.monotonic(), None
        while True:
            run.attempts += 1
            payload = targets.render_input(target.get("Input"), schedule_arn=schedule.arn,
                                           scheduled_time=run.scheduled_time, execution_id=run.execution_id,
                                           attempt=run.attempts)
            try:
                run.result = targets.invoke(session, self.endpoint_url, target, payload, execution_id=run.execution_id)
                run.outcome = "delivered"
                return
            except targets.TargetError as exc:
                error = exc
            retries_left = run.attempts <= max_retries and time.monotonic() - started < max_age
            if not (error.retryable and retries_left):
                break
            time.sleep(RETRY_DELAY_SECONDS * min(run.attempts, 5))
        run.outcome, run.error = "failed", str(error)
        self._dead_letter(session, schedule, target, run, payload, error)

    def _dead_letter(self, session, schedule, target, run, payload, error) -> None:
        queue = (target.get("DeadLetterConfig") or {}).get("Arn")
        if not queue:
            return
        sqs = session.client("sqs", endpoint_url=self.endpoint_url)
        url = sqs.get_queue_url(QueueName=queue.split(":")[5], QueueOwnerAWSAccountId=queue.split(":")[4])["QueueUrl"]
        attributes = {"ERROR_CODE": error.code, "ERROR_MESSAGE": error.message, "EXECUTION_ID": run.execution_id,
                      "RETRY_ATTEMPTS": str(run.attempts - 1), "SCHEDULE_ARN": schedule.arn,
                      "TARGET_ARN": target["Arn"]}
        sqs.send_message(QueueUrl=url, MessageBody=payload or "{}", MessageAttributes={
            k: {"DataType": "String", "StringValue": v or "-"} for k, v in attributes.items()})


def _schedules():
    from moto.scheduler.models import scheduler_backends

    for _account, regions in list(scheduler_backends.items()):
        for _region, backend in list(regions.items()):
            for group in list(backend.schedule_groups.values()):
                for schedule in list(group.schedules.values()):
                    yield backend, schedule


def _first_due(schedule, now: float, anchor: float) -> float | None:
    """A schedule seen for the first time (or after an update) runs at its next time after
    now; a one-time schedule whose moment has passed while it was unseen still runs."""
    expression = _parse(schedule)
    if expression is not None and expression.kind == "at":
        return _moment(expression.at)
    return _due_after(schedule, now, anchor)


def _due_after(schedule, now: float, seen_at: float) -> float | None:
    expression = _parse(schedule)
    if expression is None:
        return None
    anchor = _epoch(schedule.start_date) or seen_at
    after = max(now, _epoch(schedule.start_date) or now)
    found = expression.next_after(_aware(after), anchor=_aware(anchor))
    end = _epoch(schedule.end_date)
    if found is None or (end is not None and _moment(found) > end):
        return None
    return _moment(found)


def _parse(schedule):
    try:
        return expressions.parse(schedule.schedule_expression, schedule.schedule_expression_timezone)
    except expressions.InvalidExpression as exc:
        LOG.error("schedule %s never runs: %s", schedule.arn, exc)
        return None


def _one_time(schedule) -> bool:
    return (schedule.schedule_expression or "").startswith("at(")


def _epoch(value) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return value.timestamp()
    text = str(value)
    try:
        return float(text)
    except ValueError:
        return datetime.fromisoformat(text).timestamp()


def _aware(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _moment(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()
