"""The monitoring schedules and their executions, kept on moto's SageMaker backend.

moto has no MonitoringSchedule at all. The records live on each (account, region) backend, so
moto's reset forgets them with everything else, and one lock guards them: the API answers on
moto's server threads while the runner's threads record executions.

A new or updated schedule is `Pending` for PENDING_SECONDS (real time, whatever the runner's
clock says), then `Scheduled`, as SageMaker shows a schedule while it sets it up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

PENDING_SECONDS = 1.0
SCHEDULE_STATUSES = ("Pending", "Failed", "Scheduled", "Stopped")
EXECUTION_STATUSES = ("Pending", "Completed", "CompletedWithViolations", "InProgress", "Failed", "Stopping",
                      "Stopped")
LOCK = threading.RLock()
_ATTRIBUTE = "_local_monitoring_schedules"


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class MonitoringExecution:
    schedule_name: str
    scheduled_time: datetime
    endpoint_name: str | None
    definition_name: str | None
    monitoring_type: str
    status: str = "Pending"
    processing_job_arn: str | None = None
    failure_reason: str | None = None
    creation_time: datetime = field(default_factory=utcnow)
    last_modified_time: datetime = field(default_factory=utcnow)

    def update(self, status: str, *, processing_job_arn: str | None = None, failure_reason: str | None = None) -> None:
        with LOCK:
            self.status = status
            self.processing_job_arn = processing_job_arn or self.processing_job_arn
            self.failure_reason = failure_reason
            self.last_modified_time = utcnow()

    def summary(self) -> dict:
        """The MonitoringExecutionSummary shape."""
        item = {"MonitoringScheduleName": self.schedule_name, "ScheduledTime": self.scheduled_time,
                "CreationTime": self.creation_time, "LastModifiedTime": self.last_modified_time,
                "MonitoringExecutionStatus": self.status, "ProcessingJobArn": self.processing_job_arn,
                "EndpointName": self.endpoint_name, "FailureReason": self.failure_reason,
                "MonitoringJobDefinitionName": self.definition_name, "MonitoringType": self.monitoring_type}
        return {key: value for key, value in item.items() if value is not None}


@dataclass
class MonitoringSchedule:
    name: str
    arn: str
    config: dict  # MonitoringScheduleConfig, as the request gave it
    endpoint_name: str | None
    monitoring_type: str
    tags: list[dict] = field(default_factory=list)
    creation_time: datetime = field(default_factory=utcnow)
    last_modified_time: datetime = field(default_factory=utcnow)
    stored_status: str = "Pending"
    failure_reason: str | None = None
    pending_until: float = field(default_factory=lambda: time.monotonic() + PENDING_SECONDS)
    executions: list[MonitoringExecution] = field(default_factory=list)

    @property
    def definition_name(self) -> str | None:
        return self.config.get("MonitoringJobDefinitionName")

    @property
    def status(self) -> str:
        with LOCK:
            if self.stored_status == "Pending" and time.monotonic() >= self.pending_until:
                self.stored_status = "Scheduled"
            return self.stored_status

    def set_status(self, status: str) -> None:
        with LOCK:
            self.stored_status = status
            self.last_modified_time = utcnow()

    def replace_config(self, config: dict, endpoint_name: str | None, monitoring_type: str) -> None:
        """UpdateMonitoringSchedule: the new config, set up again (Pending) as SageMaker does."""
        with LOCK:
            self.config, self.endpoint_name, self.monitoring_type = config, endpoint_name, monitoring_type
            self.stored_status, self.failure_reason = "Pending", None
            self.pending_until = time.monotonic() + PENDING_SECONDS
            self.last_modified_time = utcnow()

    def start_execution(self, scheduled: datetime) -> MonitoringExecution:
        execution = MonitoringExecution(self.name, scheduled, self.endpoint_name, self.definition_name,
                                        self.monitoring_type)
        with LOCK:
            self.executions.append(execution)
        return execution

    def describe(self) -> dict:
        """The DescribeMonitoringSchedule answer."""
        answer = {"MonitoringScheduleArn": self.arn, "MonitoringScheduleName": self.name,
                  "MonitoringScheduleStatus": self.status, "MonitoringType": self.monitoring_type,
                  "FailureReason": self.failure_reason, "CreationTime": self.creation_time,
                  "LastModifiedTime": self.last_modified_time, "MonitoringScheduleConfig": self.config,
                  "EndpointName": self.endpoint_name}
        if self.executions:
            answer["LastMonitoringExecutionSummary"] = self.executions[-1].summary()
        return {key: value for key, value in answer.items() if value is not None}

    def summary(self) -> dict:
        """The MonitoringScheduleSummary shape."""
        item = {"MonitoringScheduleName": self.name, "MonitoringScheduleArn": self.arn,
                "CreationTime": self.creation_time, "LastModifiedTime": self.last_modified_time,
                "MonitoringScheduleStatus": self.status, "EndpointName": self.endpoint_name,
                "MonitoringJobDefinitionName": self.definition_name, "MonitoringType": self.monitoring_type}
        return {key: value for key, value in item.items() if value is not None}


def schedules_of(backend) -> dict[str, MonitoringSchedule]:
    """The schedules of one moto SageMaker backend (one account and region), by name."""
    with LOCK:
        return backend.__dict__.setdefault(_ATTRIBUTE, {})


def schedule_arn(backend, name: str) -> str:
    return f"arn:aws:sagemaker:{backend.region_name}:{backend.account_id}:monitoring-schedule/{name}"


def all_schedules() -> Iterator[tuple[object, MonitoringSchedule]]:
    """(backend, schedule) for every schedule of every account and region."""
    from moto.sagemaker.models import sagemaker_backends

    for _account, regions in list(sagemaker_backends.items()):
        for _region, backend in list(regions.items()):
            with LOCK:
                found = list(schedules_of(backend).values())
            for schedule in found:
                yield backend, schedule
