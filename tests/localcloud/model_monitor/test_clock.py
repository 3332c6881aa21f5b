"""Schedules run by themselves on `cloud.monitoring.clock`: at their times, once per due run."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from mlops.localcloud.model_monitor import store
from tests.localcloud.model_monitor.conftest import NOW, make_definition, make_endpoint
from tests.localcloud.model_monitor.support import schedule_config


CREATED: list[str] = []


@pytest.fixture(autouse=True)
def scheduled_at_once(cloud, monkeypatch):
    """No Pending phase; each test's schedules deleted after it, so none runs in another's."""
    monkeypatch.setattr(store, "PENDING_SECONDS", 0.0)
    yield
    while CREATED:
        cloud.client("sagemaker").delete_monitoring_schedule(MonitoringScheduleName=CREATED.pop())


@pytest.fixture(scope="module")
def definition(cloud):
    make_endpoint(cloud, "clocked")
    make_definition(cloud, "clocked-dq-1", "clocked")
    return "clocked-dq-1"


def _create(cloud, name: str, config: dict) -> str:
    cloud.client("sagemaker").create_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig=config)
    CREATED.append(name)
    return name


def _due(cloud, schedule: str) -> list[dict]:
    """What run_due ran for `schedule` (other tests' schedules may be due on the same clock)."""
    return [run for run in cloud.monitoring.run_due() if run["MonitoringScheduleName"] == schedule]


def _executions(cloud, schedule: str) -> list[dict]:
    return cloud.client("sagemaker").list_monitoring_executions(
        MonitoringScheduleName=schedule, SortBy="ScheduledTime", SortOrder="Ascending")["MonitoringExecutionSummaries"]


def test_a_clock_moved_far_ahead_runs_a_due_schedule_once_for_its_latest_time(cloud, clock, definition):
    schedule = _create(cloud, "clocked-hourly", schedule_config(definition))
    assert _due(cloud, schedule) == []  # 10:20: first seen, next run at 11:00
    clock.advance(40 * 60 - 1)
    assert _due(cloud, schedule) == []
    clock.advance(3 * 3600)  # 13:59:59: three runs missed
    assert [run["ScheduledTime"] for run in _due(cloud, schedule)] == [datetime(2026, 3, 2, 13, tzinfo=UTC)]
    assert _due(cloud, schedule) == []
    assert len(_executions(cloud, schedule)) == 1
    described = cloud.client("sagemaker").describe_monitoring_schedule(MonitoringScheduleName=schedule)
    assert described["LastMonitoringExecutionSummary"]["FailureReason"] == "Job inputs had no data"


def test_every_n_hours_runs_at_its_hours_only(cloud, clock, definition):
    schedule = _create(cloud, "clocked-six", schedule_config(definition, "cron(0 0/6 ? * * *)"))
    _due(cloud, schedule)
    clock.advance(3600)  # 11:20: not one of 0, 6, 12, 18
    assert _due(cloud, schedule) == []
    clock.advance(3600)  # 12:20
    assert [run["ScheduledTime"].hour for run in _due(cloud, schedule)] == [12]


def test_a_now_schedule_runs_once_at_once(cloud, clock, definition):
    schedule = _create(cloud, "clocked-now", schedule_config(definition, "NOW", DataAnalysisStartTime="-PT2H",
                                                              DataAnalysisEndTime="-PT0H"))
    assert [run["ScheduledTime"] for run in _due(cloud, schedule)] == [NOW]
    clock.advance(86400)
    assert _due(cloud, schedule) == []


def test_a_stopped_schedule_does_not_run(cloud, clock, definition):
    schedule = _create(cloud, "clocked-stopped", schedule_config(definition))
    _due(cloud, schedule)
    cloud.client("sagemaker").stop_monitoring_schedule(MonitoringScheduleName=schedule)
    clock.advance(2 * 3600)
    assert _due(cloud, schedule) == []
    assert _executions(cloud, schedule) == []


def test_the_background_thread_runs_schedules_by_itself(cloud, definition):
    schedule = _create(cloud, "clocked-alone", schedule_config(definition, "NOW", DataAnalysisStartTime="-PT1H",
                                                                DataAnalysisEndTime="-PT0H"))
    cloud.monitoring.background = True
    try:
        deadline = time.time() + 20
        while [e["MonitoringExecutionStatus"] for e in _executions(cloud, schedule)] != ["Failed"] \
                and time.time() < deadline:
            time.sleep(0.2)
    finally:
        cloud.monitoring.background = False
    assert [e["MonitoringExecutionStatus"] for e in _executions(cloud, schedule)] == ["Failed"]
