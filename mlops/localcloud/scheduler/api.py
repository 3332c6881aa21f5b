"""CreateSchedule and UpdateSchedule checked as EventBridge Scheduler checks them.

moto stores any expression and fails with an internal error for a group that does not exist.
Here a bad ScheduleExpression or ScheduleExpressionTimezone is a ValidationException naming it,
and an unknown group is ResourceNotFoundException, before moto stores anything. Installed once
per process by `hooks.install`; inert (plain moto) while no cloud runs.
"""

from __future__ import annotations

from moto.scheduler.exceptions import ScheduleGroupNotFound, ValidationException
from moto.scheduler.models import EventBridgeSchedulerBackend

from mlops.localcloud.scheduler import expressions

_original = {}
_active = {"on": False}


def install(on: bool) -> None:
    _active["on"] = on
    if _original:
        return
    for name in ("create_schedule", "update_schedule"):
        _original[name] = getattr(EventBridgeSchedulerBackend, name)
        setattr(EventBridgeSchedulerBackend, name, _checked(name))


def _checked(name: str):
    def method(self, *args, **kwargs):
        if _active["on"]:
            _check(self, kwargs)
        return _original[name](self, *args, **kwargs)

    method.__name__ = name
    return method


def _check(backend, request: dict) -> None:
    group = request.get("group_name") or "default"
    if group not in backend.schedule_groups:
        raise ScheduleGroupNotFound(group)
    try:
        expressions.parse(request.get("schedule_expression"), request.get("schedule_expression_timezone"))
    except expressions.InvalidExpression as exc:
        raise ValidationException(str(exc)) from None
    window = request.get("flexible_time_window") or {}
    if window.get("Mode") == "FLEXIBLE" and not window.get("MaximumWindowInMinutes"):
        raise ValidationException("MaximumWindowInMinutes is required when FlexibleTimeWindow Mode is FLEXIBLE.")
