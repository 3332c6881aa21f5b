"""The background runner of every monitoring schedule in the embedded cloud (`cloud.monitoring`).

A thread checks twice a second which Scheduled schedules are due on `clock` (epoch seconds,
replaceable like `cloud.schedules.clock`) and runs each due one once: a clock moved far ahead
runs a schedule once, for its latest scheduled time, not once per missed period. A NOW schedule
runs once, as soon as it is Scheduled. `run_now(name)` runs a schedule at the clock's now and
returns when the execution has finished.

An execution (`execution_plan`) looks for the window's capture files as the job definition's
role, then starts a Processing job in moto's backend, run by the JobScheduler as that role,
which sends the job's state-change events; the execution's status follows from the job
(ExitMessage `CompletedWithViolations: ...` -> CompletedWithViolations).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeProcessingJob

from mlops.localcloud.clocked_runner import ClockedRunner
from mlops.localcloud.credentials import role_session
from mlops.localcloud.model_monitor import api, store
from mlops.localcloud.model_monitor.execution_plan import NO_DATA, NoJob, capture_inputs, capture_of, processing_request
from mlops.localcloud.model_monitor.schedule_expression import analysis_window, parse_expression, parse_offsets
from mlops.localcloud.model_monitor.schedule_requests import spec_of

LOG = logging.getLogger(__name__)
JOB_WAIT_SLACK_SECONDS = 120.0


class MonitoringScheduleNotRunnable(Exception):
    """run_now was asked for a schedule that does not exist or is Stopped."""


class MonitoringScheduleRunner(ClockedRunner):
    def __init__(self, *, jobs, endpoint_url: str, region: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__(name="model-monitor", clock=clock, workers=2)
        self.jobs = jobs  # the JobScheduler that runs the executions' Processing jobs
        self.endpoint_url = endpoint_url
        self.region = region
        self._next: dict[tuple, float | None] = {}  # (schedule ARN, last modified) -> next run, epoch

    def run_now(self, name: str) -> dict:
        """Run schedule `name` once, scheduled at the clock's now; the execution's
        ListMonitoringExecutions item once it has finished and its job's events were sent."""
        found = [(b, s) for b, s in store.all_schedules() if s.name == name]
        found.sort(key=lambda pair: pair[0].region_name != self.region)
        if not found:
            raise MonitoringScheduleNotRunnable(f"Monitoring schedule {name} does not exist.")
        backend, schedule = found[0]
        if schedule.status == "Stopped":
            raise MonitoringScheduleNotRunnable(f"Monitoring schedule {name} is Stopped: StartMonitoringSchedule "
                                                f"first.")
        return self._execute(backend, schedule, datetime.fromtimestamp(self.clock(), UTC))

    def run_due(self, timeout: float = 600.0) -> list[dict]:
        """Run every schedule due at `clock()` and wait for those executions."""
        return [future.result(timeout=timeout) for future in self._pass()]

    def _may_run(self) -> bool:
        # Another cloud started in this process took over moto's state: its runner runs it.
        return self.background and api.active() is self

    def _pass(self) -> list[Future]:
        now, started, seen = self.clock(), [], {}
        with self._lock:
            for backend, schedule in store.all_schedules():
                key = (schedule.arn, schedule.last_modified_time)
                expression = parse_expression(schedule.config["ScheduleConfig"]["ScheduleExpression"])
                # First seen (created, updated, restarted): a NOW schedule is due at once, a
                # cron one at its next time after that moment.
                due = self._next[key] if key in self._next else (
                    now if expression.once else expression.next_after(_at(now)).timestamp())
                if schedule.status == "Scheduled" and due is not None and due <= now:
                    scheduled = _at(due) if expression.once else expression.latest_at_or_before(_at(now))
                    started.append(self._pool.submit(self._execute, backend, schedule, scheduled))
                    due = None if expression.once else expression.next_after(_at(now)).timestamp()
                seen[key] = due
            self._next = seen
        return started

    def _execute(self, backend, schedule: store.MonitoringSchedule, scheduled: datetime) -> dict:
        execution = schedule.start_execution(scheduled)
        try:
            job, request = self._start_job(backend, schedule, scheduled)
        except (NoJob, ValidationError) as exc:
            execution.update("Failed", failure_reason=getattr(exc, "message", None) or str(exc))
            return execution.summary()
        except Exception as exc:  # an execution must always end, whatever broke
            LOG.exception("monitoring execution of %s could not start", schedule.name)
            execution.update("Failed", failure_reason=f"InternalServerError: the execution could not start: {exc}")
            return execution.summary()
        execution.update("InProgress", processing_job_arn=job.arn)
        try:
            self.jobs.processing_created(job, request).result(
                timeout=request["StoppingCondition"]["MaxRuntimeInSeconds"] + JOB_WAIT_SLACK_SECONDS)
        except Exception as exc:  # the cloud stopped, or the job outlived its limit
            LOG.exception("monitoring execution of %s did not finish", schedule.name)
            execution.update("Failed", failure_reason=f"InternalServerError: the execution did not finish: {exc}")
            return execution.summary()
        status, reason = execution_status(job)
        execution.update(status, failure_reason=reason)
        return execution.summary()

    def _start_job(self, backend, schedule: store.MonitoringSchedule, scheduled: datetime):
        spec = spec_of(backend, schedule.config)
        offsets = parse_offsets(schedule.config["ScheduleConfig"])
        capture = capture_of(backend, spec.endpoint_name)
        session = role_session(spec.role_arn, endpoint_url=self.endpoint_url, region=backend.region_name,
                               session_name=schedule.name)
        inputs = capture_inputs(session.client("s3", endpoint_url=self.endpoint_url), capture, spec,
                                *analysis_window(offsets, scheduled))
        if not inputs:
            raise NoJob(NO_DATA)
        request = processing_request(spec, schedule=schedule.name, scheduled=scheduled, offsets=offsets,
                                     inputs=inputs)
        return _stored_job(backend, schedule, request), request


def execution_status(job) -> tuple[str, str | None]:
    """(MonitoringExecutionStatus, FailureReason) of a finished monitoring job."""
    message = job.exit_message or ""
    if job.processing_job_status == "Completed":
        return ("CompletedWithViolations" if message.startswith("CompletedWithViolations") else "Completed"), None
    # The container's own words when it failed; the job's reason when the platform failed it afterwards.
    return "Failed", (message if message and not message.startswith("Completed") else job.failure_reason)


def _stored_job(backend, schedule: store.MonitoringSchedule, request: dict) -> FakeProcessingJob:
    """The job in moto's backend, as DescribeProcessingJob shows a monitoring execution's."""
    job = FakeProcessingJob(
        app_specification=request["AppSpecification"], experiment_config=None,
        network_config=request.get("NetworkConfig"), processing_inputs=request["ProcessingInputs"],
        processing_job_name=request["ProcessingJobName"], processing_output_config=request["ProcessingOutputConfig"],
        account_id=backend.account_id, region_name=backend.region_name, role_arn=request["RoleArn"], tags=[],
        stopping_condition=request["StoppingCondition"],
    )
    job.processing_resources = request["ProcessingResources"]
    job.environment = request["Environment"]
    job.monitoring_schedule_arn = schedule.arn
    backend.processing_jobs[job.processing_job_name] = job
    return job


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
