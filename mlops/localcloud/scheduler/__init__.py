"""EventBridge Scheduler in the embedded cloud: schedules run on a clock, as the service runs them.

moto stores schedules and groups but never runs one. `expressions` says when a schedule runs
(rate, cron, at), `targets` invokes its target as its role, `runner.ScheduleRunner`
(`cloud.schedules`) runs them on a replaceable clock and at once with `run_now`, and `api`
makes CreateSchedule/UpdateSchedule refuse what Scheduler refuses.
"""

from mlops.localcloud.scheduler.api import install
from mlops.localcloud.scheduler.runner import (
    ScheduleNotRunnable,
    ScheduleRun,
    ScheduleRunner,
)

__all__ = ["ScheduleNotRunnable", "ScheduleRun", "ScheduleRunner", "install"]
