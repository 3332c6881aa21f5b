"""The background evaluator of every metric alarm in the embedded cloud (`cloud.alarms`).

A thread checks twice a second which alarms are due. CloudWatch evaluates an alarm shortly
after each period ends (alarms of 60 seconds or more once a minute); here an alarm is due
GRACE_SECONDS after each boundary of its interval (its period below 60 s, else 60 s), so a
10-second alarm sees a bad period about a second after it ends, and data published once a
second for a period's last second is counted. A new or updated alarm is due at once. Each
evaluation reads the most recent complete periods (`datapoints`), decides the state
(`decision`) and, on a change, updates the moto alarm and announces it (`transitions`).

A state set by SetAlarmState stays until the alarm's next evaluation says otherwise, as in
CloudWatch ("the alarm returns to its actual state at the next evaluation"). `clock` (epoch
seconds) can be replaced, e.g. frozen by tests that put datapoints with explicit timestamps
and call `evaluate_now()`; evaluation never sleeps on it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from mlops.localcloud.cloudwatch.datapoints import collect
from mlops.localcloud.cloudwatch.decision import decide, unsupported
from mlops.localcloud.cloudwatch.errors import Unsupported
from mlops.localcloud.cloudwatch.index import MetricIndex
from mlops.localcloud.cloudwatch.transitions import change_state

LOG = logging.getLogger(__name__)
TICK_SECONDS = 0.5
GRACE_SECONDS = 1.0
PRUNE_EVERY_SECONDS = 60.0


class AlarmEvaluator:
    def __init__(self, *, deliver: Callable[[str, str, dict], None], clock: Callable[[], float] = time.time) -> None:
        self.deliver = deliver  # (account, region, event): the default bus of that account and region
        self.clock = clock
        self.lock = threading.RLock()  # one evaluation pass or SetAlarmState at a time
        self._index = MetricIndex()
        self._due: dict[tuple, float] = {}
        self._pruned_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cloudwatch-alarms", daemon=True)

    def start(self) -> "AlarmEvaluator":
        self._thread.start()
        return self

    def evaluate_now(self) -> None:
        """Evaluate every metric alarm once, now (at `clock()`), whether due or not."""
        self._pass(force=True)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            try:
                self._pass(force=False)
            except Exception:  # one bad pass must not end alarm evaluation for the cloud
                LOG.exception("alarm evaluation pass failed")

    def _pass(self, *, force: bool) -> None:
        notifications = []
        with self.lock:
            now = self.clock()
            backends = list(_cloudwatch_backends())
            self._index.refresh(backends)
            due_next = {}
            for account, region, backend in backends:
                for alarm in list(backend.alarms.values()):
                    if alarm.rule is not None:  # composite alarms are not evaluated here
                        continue
                    key = (account, region, alarm.name, id(alarm))  # an updated alarm is a new object
                    due = self._due.get(key, 0.0)
                    if force or now >= due:
                        notifications.append(self._evaluate(backend, alarm, account=account, region=region, now=now))
                        due = _next_due(alarm, now)
                    due_next[key] = due
            self._due = due_next
            if now - self._pruned_at >= PRUNE_EVERY_SECONDS:
                self._index.prune(now)
                self._pruned_at = now
        for notify in filter(None, notifications):  # events and actions, outside the lock
            notify()

    def _evaluate(self, backend, alarm, *, account: str, region: str, now: float):
        """Evaluate one alarm; returns the `notify` of its state change, if it changed."""
        try:
            decision = decide(alarm, collect(alarm, self._index, account=account, region=region, now=now), now=now)
        except Unsupported as problem:
            decision = unsupported(str(problem))
        except Exception:
            LOG.exception("could not evaluate alarm %s; it keeps its state", alarm.name)
            return None
        if decision.state is None:
            return None
        if decision.state == alarm.state_value:
            if decision.explains_itself and alarm.state_reason != decision.reason:
                alarm.state_reason = decision.reason  # say why it cannot leave INSUFFICIENT_DATA
            return None
        return change_state(backend, alarm, value=decision.state, reason=decision.reason,
                     reason_data=decision.reason_data, now=now, deliver=self.deliver)


def _next_due(alarm, now: float) -> float:
    interval = _period(alarm)
    interval = interval if interval < 60 else 60
    return math.floor(now / interval) * interval + interval + GRACE_SECONDS


def _period(alarm) -> int:
    if alarm.period:
        return int(alarm.period)
    periods = [int(q.metric_stat.period) for q in alarm.metric_data_queries or ()
               if q.metric_stat is not None and q.metric_stat.period]
    return min(periods) if periods else 60


def _cloudwatch_backends():
    from moto.cloudwatch.models import cloudwatch_backends

    for account, regions in list(cloudwatch_backends.items()):
        for region, backend in list(regions.items()):
            yield account, region, backend
