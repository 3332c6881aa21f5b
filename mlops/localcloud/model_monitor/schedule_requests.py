"""CreateMonitoringSchedule / UpdateMonitoringSchedule requests, checked as SageMaker checks them.

A bad request is refused with a ValidationException naming the problem: the name's pattern,
the schedule expression and analysis offsets (`schedule_expression`), a job definition that
does not exist, or what the embedded cloud cannot run (monitoring types other than DataQuality,
batch transform inputs). The schedule's EndpointName and MonitoringType come from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moto.sagemaker.exceptions import ValidationError

from mlops.localcloud.model_monitor import job_spec
from mlops.localcloud.model_monitor.schedule_expression import InvalidSchedule, parse_expression, parse_offsets

NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"
DATA_QUALITY = "DataQuality"
MONITORING_TYPES = ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability")
MAX_TAGS = 50


@dataclass(frozen=True)
class ScheduleRequest:
    config: dict
    endpoint_name: str | None
    monitoring_type: str


def check_name(name, member: str = "monitoringScheduleName") -> str:
    if not isinstance(name, str) or not re.fullmatch(NAME_PATTERN, name):
        raise ValidationError(f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy "
                              f"constraint: Member must satisfy regular expression pattern: {NAME_PATTERN}")
    return name


def check_schedule_request(backend, config, tags=None) -> ScheduleRequest:
    if not isinstance(config, dict):
        raise ValidationError("MonitoringScheduleConfig is required.")
    _check_schedule_config(config.get("ScheduleConfig"))
    _check_tags(tags)
    inline, named = config.get("MonitoringJobDefinition"), config.get("MonitoringJobDefinitionName")
    if (inline is None) == (named is None):
        raise ValidationError("MonitoringScheduleConfig must have exactly one of MonitoringJobDefinition and "
                              "MonitoringJobDefinitionName.")
    monitoring_type = config.get("MonitoringType") or DATA_QUALITY
    if monitoring_type not in MONITORING_TYPES:
        raise ValidationError(f"1 validation error detected: Value '{monitoring_type}' at "
                              f"'monitoringScheduleConfig.monitoringType' failed to satisfy constraint: Member must "
                              f"satisfy enum value set: [{', '.join(MONITORING_TYPES)}]")
    if monitoring_type != DATA_QUALITY:
        raise ValidationError(f"MonitoringType {monitoring_type} cannot run in the embedded cloud: it has the "
                              f"Model Monitor analyzer for DataQuality schedules only.")
    spec = _named_spec(backend, check_name(named, "monitoringJobDefinitionName")) if named else _inline_spec(inline)
    return ScheduleRequest(config, spec.endpoint_name, monitoring_type)


def spec_of(backend, config: dict) -> job_spec.JobSpec:
    """The job a schedule's executions run (ValidationError when its job definition is gone)."""
    named = config.get("MonitoringJobDefinitionName")
    return _named_spec(backend, named) if named else job_spec.from_inline_definition(config["MonitoringJobDefinition"])


def _check_schedule_config(schedule) -> None:
    if not isinstance(schedule, dict) or not schedule.get("ScheduleExpression"):
        raise ValidationError("MonitoringScheduleConfig.ScheduleConfig.ScheduleExpression is required.")
    try:
        parse_expression(schedule["ScheduleExpression"])
        parse_offsets(schedule)
    except InvalidSchedule as exc:
        raise ValidationError(str(exc)) from None


def _check_tags(tags) -> None:
    tags = tags or []
    if len(tags) > MAX_TAGS:
        raise ValidationError(f"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member "
                              f"must have length less than or equal to {MAX_TAGS}")
    if any(not isinstance(tag, dict) or "Key" not in tag or "Value" not in tag for tag in tags):
        raise ValidationError("Every tag needs a Key and a Value.")


def _named_spec(backend, name: str) -> job_spec.JobSpec:
    definition = backend.data_quality_job_definitions.get(name)
    if definition is None:
        raise ValidationError(f"Could not find data quality job definition '{name}' (MonitoringType DataQuality) "
                              f"in account {backend.account_id}, region {backend.region_name}.")
    job_input = definition.data_quality_job_input or {}
    if not (job_input.get("EndpointInput") or {}).get("EndpointName"):
        raise ValidationError(f"Data quality job definition '{name}' has no DataQualityJobInput.EndpointInput: the "
                              f"embedded cloud monitors endpoints only (not batch transform jobs).")
    return job_spec.from_data_quality_definition(definition)


def _inline_spec(definition) -> job_spec.JobSpec:
    if not isinstance(definition, dict):
        raise ValidationError("MonitoringJobDefinition must be a structure.")
    missing = [member for member in ("MonitoringInputs", "MonitoringOutputConfig", "MonitoringResources",
                                     "MonitoringAppSpecification", "RoleArn") if not definition.get(member)]
    if missing:
        raise ValidationError(f"MonitoringJobDefinition is missing {', '.join(missing)}.")
    endpoint_input = (definition["MonitoringInputs"][0] or {}).get("EndpointInput") or {}
    if not endpoint_input.get("EndpointName") or not endpoint_input.get("LocalPath"):
        raise ValidationError("MonitoringJobDefinition.MonitoringInputs[0].EndpointInput needs EndpointName and "
                              "LocalPath: the embedded cloud monitors endpoints only (not batch transform jobs).")
    outputs = definition["MonitoringOutputConfig"].get("MonitoringOutputs") or []
    if len(outputs) != 1 or not (outputs[0] or {}).get("S3Output"):
        raise ValidationError("MonitoringOutputConfig.MonitoringOutputs must hold exactly one S3Output.")
    return job_spec.from_inline_definition(definition)
