"""The rollback alarms of a deployment, read where the embedded cloud keeps them.

SageMaker reads its auto-rollback alarms with DescribeAlarms; here moto's CloudWatch backend is
read directly (same process), so a check costs microseconds and can run every half second.
"""

from __future__ import annotations

from moto.cloudwatch.models import cloudwatch_backends


class AlarmWatch:
    def __init__(self, account: str, region: str) -> None:
        self._account, self._region = account, region

    def _alarms(self) -> dict:
        return cloudwatch_backends[self._account][self._region].alarms

    def missing(self, names: tuple[str, ...] | list[str]) -> list[str]:
        alarms = self._alarms()
        return [name for name in names if name not in alarms]

    def first_in_alarm(self, names: tuple[str, ...] | list[str]) -> str | None:
        """The first of `names` in state ALARM (a deleted alarm cannot fire)."""
        alarms = self._alarms()
        for name in names:
            alarm = alarms.get(name)
            if alarm is not None and alarm.state_value == "ALARM":
                return name
        return None
