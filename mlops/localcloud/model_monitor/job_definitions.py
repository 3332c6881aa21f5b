"""moto 5.2.5's DataQualityJobDefinition calls, made to answer as SageMaker does.

moto stores a second definition under a taken name, lists every definition with the
EndpointName "EndpointName" and ignores the list's filters, sorting and paging, answers empty
NetworkConfig / StoppingCondition structures for members never given (StoppingCondition then
lacks its required MaxRuntimeInSeconds) and deletes a definition a schedule still runs. Here:
ResourceInUse for a taken name and for a definition in use, the real EndpointName and the
request's filters in the list, and Describe without the members the request did not give.
"""

from __future__ import annotations

from moto.sagemaker.exceptions import ResourceInUseException

from mlops.localcloud.model_monitor import listing, store
from mlops.localcloud.model_monitor.schedule_requests import check_name

_SORT = {"Name": lambda d: d["MonitoringJobDefinitionName"], "CreationTime": lambda d: d["CreationTime"]}
_OPTIONAL = ("NetworkConfig", "StoppingCondition", "DataQualityBaselineConfig")


def check_create(backend, name: str) -> None:
    check_name(name, "jobDefinitionName")
    if name in backend.data_quality_job_definitions:
        arn = backend.data_quality_job_definitions[name].arn
        raise ResourceInUseException(f"Job definition '{arn}' already exists.")


def check_delete(backend, name: str) -> None:
    with store.LOCK:
        users = sorted(s.name for s in store.schedules_of(backend).values() if s.definition_name == name)
    if users:
        raise ResourceInUseException(f"Job definition '{name}' is in use by monitoring schedule(s) "
                                     f"{', '.join(users)}: delete or update them first.")


def describe(answer: dict) -> dict:
    return {key: value for key, value in answer.items() if key not in _OPTIONAL or value}


def list_definitions(backend, params: dict) -> tuple[list[dict], str | None]:
    summaries = [_summary(definition) for definition in list(backend.data_quality_job_definitions.values())]
    endpoint, contains = params.get("EndpointName"), params.get("NameContains")
    kept = [s for s in summaries if (endpoint is None or s["EndpointName"] == endpoint)
            and (not contains or contains in s["MonitoringJobDefinitionName"])
            and listing.in_time_range(s["CreationTime"], params.get("CreationTimeAfter"),
                                      params.get("CreationTimeBefore"))]
    return listing.page(kept, params=params, sort_keys=_SORT)


def _summary(definition) -> dict:
    endpoint_input = (definition.data_quality_job_input or {}).get("EndpointInput") or {}
    return {"MonitoringJobDefinitionName": definition.job_definition_name,
            "MonitoringJobDefinitionArn": definition.arn, "CreationTime": definition.creation_time,
            "EndpointName": endpoint_input.get("EndpointName", "")}
