"""What the deployment state machine may act on, scoped per model with serving enabled.

SageMaker shows some ARNs with the name in lower case, so names that may hold capitals (package
groups, endpoints) are listed in both spellings. Models and endpoint configs are named
`<model>-<hash>` (and `-shadow`), new-fleet alarms `<endpoint>-<config>-latency|5xx`; with
Model Monitor, data-quality job definitions `<endpoint>-dq-<hash>` and the `<endpoint>-data-quality`
schedule.
"""

from __future__ import annotations

import aws_cdk as cdk

from infra.deployment_pipeline.common import Arns
from mlops.config import ModelConfig
from mlops_core.model_monitor_schedule import MODEL_MONITOR
from mlops_core.naming import (
    data_quality_job_definition_prefix,
    data_quality_schedule_name,
    deployment_resource_prefix,
    endpoint_alarm_name,
)


def model_monitored(models: list[ModelConfig]) -> list[ModelConfig]:
    """The models whose drift check is a SageMaker Model Monitor schedule."""
    return [m for m in models if m.serving.enabled and m.monitoring.enabled and m.monitoring.engine == MODEL_MONITOR]


def deployment_arns(stack: cdk.Stack, models: list[ModelConfig]) -> Arns:
    def sagemaker(resource: str, names: list[str]) -> list[str]:
        spellings = sorted({spelling for name in names for spelling in (name, name.lower())})
        return [stack.format_arn(service="sagemaker", resource=resource, resource_name=name) for name in spellings]

    def alarms(names: list[str]) -> list[str]:
        return [stack.format_arn(service="cloudwatch", resource="alarm", resource_name=name,
                                 arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME) for name in names]

    groups = [m.model_package_group_name for m in models]
    prefixes = [f"{deployment_resource_prefix(m.name)}-*" for m in models]
    endpoints = [m.serving.endpoint_name for m in models]
    new_fleet = [f"{m.serving.endpoint_name}-{deployment_resource_prefix(m.name)}-*" for m in models]
    watched = [m.serving.endpoint_name for m in model_monitored(models)]
    return Arns(
        packages=sagemaker("model-package", [f"{group}/*" for group in groups]),
        models=sagemaker("model", prefixes),
        endpoint_configs=sagemaker("endpoint-config", prefixes),
        endpoints=sagemaker("endpoint", endpoints),
        new_fleet_alarms=alarms(new_fleet),
        rollback_alarms=alarms(new_fleet + [endpoint_alarm_name(name) for name in endpoints]),
        job_definitions=sagemaker("data-quality-job-definition",
                                  [f"{data_quality_job_definition_prefix(name)}*" for name in watched]),
        monitoring_schedules=sagemaker("monitoring-schedule", [data_quality_schedule_name(name) for name in watched]),
    )
