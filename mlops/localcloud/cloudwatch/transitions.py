"""What happens when an alarm changes state, by evaluation or by SetAlarmState.

As in CloudWatch: the alarm shows the new StateValue, StateReason, StateReasonData and
timestamps in DescribeAlarms; a StateUpdate history item records old and new state; the
`CloudWatch Alarm State Change` event goes to the default event bus; the actions of the new
state run. The event goes through `deliver(account, region, event)` (the embedded cloud's
`hooks.redeliver`), the path every other event takes, so rules on the default bus receive it.
The state is changed under the evaluator's lock; the event and the actions are sent by the
returned `notify`, which callers run after releasing it: an action may run code (an SNS
subscription invoking a Lambda function) that calls CloudWatch back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from mlops.localcloud.cloudwatch import history
from mlops.localcloud.cloudwatch.actions import run_actions
from mlops.localcloud.cloudwatch.alarm_event import StateView, state_change_event
from mlops.localcloud.cloudwatch.formatting import epoch_of, naive_utc

LOG = logging.getLogger(__name__)


def current_state(alarm) -> StateView:
    return StateView(alarm.state_value, alarm.state_reason, alarm.state_reason_data,
                     epoch_of(alarm.state_updated_timestamp))


def change_state(backend, alarm, *, value: str, reason: str, reason_data: dict | None, now: float,
                 deliver) -> Callable[[], None] | None:
    """Move `alarm` (a moto Alarm of `backend`) to `value`; returns what announces it."""
    previous = current_state(alarm)
    alarm.state_value, alarm.state_reason = value, reason
    alarm.state_reason_data = json.dumps(reason_data, separators=(",", ":")) if reason_data else None
    alarm.state_updated_timestamp = naive_utc(now)
    return announce(backend, alarm, previous=previous, now=now, deliver=deliver)


def announce(backend, alarm, *, previous: StateView, now: float, deliver) -> Callable[[], None] | None:
    """Record the change from `previous` to the alarm's current state, if any; returns the
    `notify` that sends its event and runs its actions."""
    if alarm.state_value == previous.value:
        return None
    alarm.state_transitioned_timestamp = naive_utc(now)
    history.record(backend, alarm_name=alarm.name, item_type="StateUpdate", now=now,
                   summary=f"Alarm updated from {previous.value} to {alarm.state_value}",
                   data={"version": "1.0",
                         "oldState": history.state_snapshot(previous.value, previous.reason, previous.reason_data),
                         "newState": history.state_snapshot(alarm.state_value, alarm.state_reason,
                                                            alarm.state_reason_data)})
    state = StateView(alarm.state_value, alarm.state_reason, alarm.state_reason_data, now)
    event = state_change_event(alarm, account=backend.account_id, region=backend.region_name,
                               state=state, previous=previous)

    def notify() -> None:
        try:
            deliver(backend.account_id, backend.region_name, event)
        except Exception:  # a failing target must not stop alarms from being evaluated
            LOG.exception("could not deliver the state change event of alarm %s", alarm.name)
        try:
            run_actions(backend, alarm, old_state=previous.value, new_state=state)
        except Exception:
            LOG.exception("could not run the actions of alarm %s", alarm.name)

    return notify
