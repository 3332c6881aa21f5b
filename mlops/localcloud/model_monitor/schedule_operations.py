"""The MonitoringSchedule API on one moto SageMaker backend (`api` wires it to moto's responses).

Create, Describe, Update, Delete, List, Start, Stop and ListMonitoringExecutions, with
SageMaker's answer shapes and errors: ResourceInUse for a name taken, ResourceNotFound for a
schedule that does not exist, ValidationException for a bad request (`schedule_requests`).
"""

from __future__ import annotations

from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound

from mlops.localcloud.model_monitor import listing, store
from mlops.localcloud.model_monitor.schedule_requests import (
    MONITORING_TYPES,
    check_name,
    check_schedule_request,
)

_SCHEDULE_SORT = {"Name": lambda s: s["MonitoringScheduleName"], "CreationTime": lambda s: s["CreationTime"],
                  "Status": lambda s: s["MonitoringScheduleStatus"]}
_EXECUTION_SORT = {"CreationTime": lambda e: e["CreationTime"], "ScheduledTime": lambda e: e["ScheduledTime"],
                   "Status": lambda e: e["MonitoringExecutionStatus"]}


def create(backend, name, config, tags=None) -> str:
    check_name(name)
    request = check_schedule_request(backend, config, tags)
    arn = store.schedule_arn(backend, name)
    with store.LOCK:
        schedules = store.schedules_of(backend)
        if name in schedules:
            raise ResourceInUseException(f"Monitoring Schedule '{arn}' already exists.")
        schedules[name] = store.MonitoringSchedule(name, arn, config, request.endpoint_name, request.monitoring_type,
                                                   tags=list(tags or []))
    return arn


def find(backend, name) -> store.MonitoringSchedule:
    check_name(name)
    with store.LOCK:
        schedule = store.schedules_of(backend).get(name)
    if schedule is None:
        raise ResourceNotFound(f"Monitoring Schedule '{store.schedule_arn(backend, name)}' does not exist.")
    return schedule


def update(backend, name, config) -> str:
    schedule = find(backend, name)
    request = check_schedule_request(backend, config)
    schedule.replace_config(config, request.endpoint_name, request.monitoring_type)
    return schedule.arn


def delete(backend, name) -> None:
    schedule = find(backend, name)
    with store.LOCK:
        store.schedules_of(backend).pop(schedule.name, None)


def start(backend, name) -> None:
    schedule = find(backend, name)
    if schedule.status == "Stopped":
        schedule.set_status("Scheduled")


def stop(backend, name) -> None:
    find(backend, name).set_status("Stopped")


def list_schedules(backend, params: dict) -> tuple[list[dict], str | None]:
    listing.check_enum("statusEquals", params.get("StatusEquals"), store.SCHEDULE_STATUSES)
    listing.check_enum("monitoringTypeEquals", params.get("MonitoringTypeEquals"), MONITORING_TYPES)
    with store.LOCK:
        summaries = [s.summary() for s in store.schedules_of(backend).values()]
    wanted = {"EndpointName": params.get("EndpointName"), "MonitoringScheduleStatus": params.get("StatusEquals"),
              "MonitoringJobDefinitionName": params.get("MonitoringJobDefinitionName"),
              "MonitoringType": params.get("MonitoringTypeEquals")}
    contains = params.get("NameContains")
    kept = [s for s in summaries if _matches(s, wanted)
            and (not contains or contains in s["MonitoringScheduleName"])
            and listing.in_time_range(s["CreationTime"], params.get("CreationTimeAfter"),
                                      params.get("CreationTimeBefore"))
            and listing.in_time_range(s["LastModifiedTime"], params.get("LastModifiedTimeAfter"),
                                      params.get("LastModifiedTimeBefore"))]
    return listing.page(kept, params=params, sort_keys=_SCHEDULE_SORT)


def list_executions(backend, params: dict) -> tuple[list[dict], str | None]:
    listing.check_enum("statusEquals", params.get("StatusEquals"), store.EXECUTION_STATUSES)
    listing.check_enum("monitoringTypeEquals", params.get("MonitoringTypeEquals"), MONITORING_TYPES)
    with store.LOCK:
        summaries = [e.summary() for s in store.schedules_of(backend).values() for e in s.executions]
    wanted = {"MonitoringScheduleName": params.get("MonitoringScheduleName"),
              "EndpointName": params.get("EndpointName"), "MonitoringExecutionStatus": params.get("StatusEquals"),
              "MonitoringJobDefinitionName": params.get("MonitoringJobDefinitionName"),
              "MonitoringType": params.get("MonitoringTypeEquals")}
    kept = [e for e in summaries if _matches(e, wanted)
            and all(listing.in_time_range(e[field], params.get(f"{field}After"), params.get(f"{field}Before"))
                    for field in ("ScheduledTime", "CreationTime", "LastModifiedTime"))]
    return listing.page(kept, params=params, sort_keys=_EXECUTION_SORT)


def _matches(item: dict, wanted: dict) -> bool:
    return all(value is None or item.get(key) == value for key, value in wanted.items())
