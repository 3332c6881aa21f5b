"""The deployment execution input's `monitoring` block (docs/contracts.md "Deployment execution"):
does this deployment schedule SageMaker Model Monitor (`monitoring.engine: "model-monitor"`),
and if so every value of its requests that depends on the model's settings: the schedule and
job definition names, the cron schedule and analysed window, the instances.

Read defensively, like the serving block: anyone may edit the SSM parameter, and a bad value
must fail at StartDeployment naming the key rather than deep inside SageMaker.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_core.naming import data_quality_job_definition_name, data_quality_schedule_name

SERVERLESS, MODEL_MONITOR = "serverless", "model-monitor"
ENGINES = (SERVERLESS, MODEL_MONITOR)
HOURS_A_DAY = 24
HOURLY = "cron(0 * ? * * *)"
DAILY = "cron(0 0 ? * * *)"
# The window ends at each run's scheduled time (an ISO 8601 offset from it, as SageMaker takes it).
WINDOW_END = "-PT0H"


def monitoring_input(settings: Mapping[str, Any], *, endpoint: str, model_package_arn: str) -> dict[str, Any]:
    """`{"enabled", "engine"}`, plus with Model Monitor `schedule`, `job_definition`,
    `schedule_config` (ScheduleConfig), `cluster` (ClusterConfig without the key) and
    `max_runtime_seconds`; ValueError names a bad setting."""
    block = settings.get("monitoring")
    if block is None:  # settings written before monitoring existed
        return {"enabled": False, "engine": SERVERLESS}
    if not isinstance(block, Mapping):
        raise ValueError(f"settings.monitoring must be an object, got {block!r}")
    enabled, engine = block.get("enabled", False), block.get("engine", SERVERLESS)
    if not isinstance(enabled, bool):
        raise ValueError(f"settings.monitoring.enabled must be true or false, got {enabled!r}")
    if engine not in ENGINES:
        raise ValueError(f"settings.monitoring.engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if not enabled or engine != MODEL_MONITOR:
        return {"enabled": enabled, "engine": engine}
    schedule_minutes = _whole(block, "schedule_minutes", "settings.monitoring")
    processing = settings.get("processing")
    if not isinstance(processing, Mapping):
        raise ValueError("settings.processing is missing: Model Monitor's instances are the processing ones")
    return {
        "enabled": True,
        "engine": MODEL_MONITOR,
        "schedule": data_quality_schedule_name(endpoint),
        "job_definition": data_quality_job_definition_name(endpoint, model_package_arn),
        "schedule_config": schedule_config(schedule_minutes, _whole(block, "window_minutes", "settings.monitoring")),
        "cluster": {
            "InstanceCount": _whole(processing, "instance_count", "settings.processing"),
            "InstanceType": _text(processing, "instance_type", "settings.processing"),
            "VolumeSizeInGB": _whole(processing, "volume_size_gb", "settings.processing"),
        },
        # SageMaker: a monitoring job may not run longer than its schedule's period.
        "max_runtime_seconds": min(_whole(processing, "max_runtime_seconds", "settings.processing"),
                                   schedule_minutes * 60),
    }


def schedule_config(schedule_minutes: int, window_minutes: int) -> dict[str, str]:
    """ScheduleConfig: runs every `schedule_minutes` on the hour, each looking at the whole hours
    of `window_minutes` before its scheduled time."""
    return {"ScheduleExpression": schedule_expression(schedule_minutes),
            "DataAnalysisStartTime": f"-PT{_window_hours(window_minutes)}H", "DataAnalysisEndTime": WINDOW_END}


def schedule_expression(minutes: int) -> str:
    """The cron forms Model Monitor accepts: hourly, daily, or every N hours from midnight UTC."""
    hours, rest = divmod(minutes, 60)
    if rest or hours < 1 or HOURS_A_DAY % hours:
        raise ValueError(f"settings.monitoring.schedule_minutes must be 60, 120, 180, 240, 360, 480, 720 or 1440 "
                         f"for Model Monitor (whole hours dividing a day), got {minutes}")
    if hours == 1:
        return HOURLY
    return DAILY if hours == HOURS_A_DAY else f"cron(0 0/{hours} ? * * *)"


def _window_hours(minutes: int) -> int:
    hours, rest = divmod(minutes, 60)
    if rest or not 1 <= hours <= HOURS_A_DAY:
        raise ValueError(f"settings.monitoring.window_minutes must be whole hours up to {HOURS_A_DAY} for Model "
                         f"Monitor, got {minutes}")
    return hours


def _whole(block: Mapping[str, Any], key: str, where: str) -> int:
    value = block.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < 1:
        raise ValueError(f"{where}.{key} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _text(block: Mapping[str, Any], key: str, where: str) -> str:
    value = block.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}.{key} must be a non-empty string, got {value!r}")
    return value
