"""The deployment state machine's execution input (docs/contracts.md "Deployment execution").

Everything a deployment needs is decided here, once, from the approval event and the model's
settings: the run's name, every SageMaker resource and alarm name, and the request pieces
whose shape depends on the config (the blue/green policy, thresholds in CloudWatch's units).
The state machine only reads these fields, so a deployment can be inspected from its input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlops_core.approval_event import ApprovalEvent
from mlops_core.model_monitor_schedule import monitoring_input
from mlops_core.naming import (
    deployment_execution_name,
    deployment_hash,
    deployment_resource_name,
    endpoint_alarm_name,
    new_fleet_alarm_names,
    shadow_endpoint_config_name,
    shadow_variant_name,
)
from mlops_core.serving_settings import STRATEGIES, serving_block


def build_deployment_input(*, model: str, settings: Mapping[str, Any], approval: ApprovalEvent,
                           poll_seconds: int) -> dict[str, Any]:
    """Input of the run that deploys `approval`'s package of `model`; ValueError names a bad setting."""
    serving = serving_block(settings)
    names = deployment_names(model, serving, deployment_hash(approval.package_arn, approval.approved_at))
    alarms, shadow = serving["alarms"], serving["shadow"]
    return {
        "model": model,
        "deployment_id": deployment_execution_name(model, approval.package_arn, approval.approved_at),
        "poll_seconds": poll_seconds,
        "model_package_arn": approval.package_arn,
        "model_package_group": approval.group,
        "approved_at": approval.approved_at,
        "serving": serving,
        "names": names,
        "alarms": {
            "period_seconds": int(alarms["period_seconds"]),
            "evaluation_periods": int(alarms["evaluation_periods"]),
            "error_threshold": float(alarms["error_threshold"]),
            # ModelLatency is reported in microseconds.
            "latency_p99_us": float(alarms["latency_p99_ms"]) * 1000,
        },
        "shadow": {
            "enabled": shadow["enabled"],
            "duration_seconds": int(shadow["duration_seconds"]),
            # Weights are relative: production's is 1.0, so this mirrors sampling_percent of requests.
            "variant_weight": int(shadow["sampling_percent"]) / 100,
            "thresholds": {key: shadow[key] for key in ("min_requests", "min_agreement", "max_latency_ratio")},
        },
        "deployment_config": deployment_config(serving, names["rollback_alarms"]),
        # With monitoring.engine "model-monitor" the run schedules Model Monitor once deployed.
        "monitoring": monitoring_input(settings, endpoint=names["endpoint"], model_package_arn=approval.package_arn),
    }


def deployment_names(model: str, serving: Mapping[str, Any], digest: str) -> dict[str, Any]:
    endpoint, variant = serving["endpoint_name"], serving["variant_name"]
    config = deployment_resource_name(model, digest)
    latency, errors = new_fleet_alarm_names(endpoint, config)
    endpoint_alarm = endpoint_alarm_name(endpoint)
    return {
        "endpoint": endpoint,
        "variant": variant,
        "model": config,  # the SageMaker model and its endpoint config share the name
        "endpoint_config": config,
        "shadow_endpoint_config": shadow_endpoint_config_name(config),
        "shadow_variant": shadow_variant_name(variant),
        "endpoint_alarm": endpoint_alarm,
        "latency_alarm": latency,
        "errors_alarm": errors,
        "new_fleet_alarms": [latency, errors],
        "rollback_alarms": [endpoint_alarm, latency, errors],
    }


def deployment_config(serving: Mapping[str, Any], alarm_names: list[str]) -> dict[str, Any]:
    """UpdateEndpoint's DeploymentConfig: the blue/green policy of `serving.strategy` and the
    auto-rollback alarms."""
    kind = STRATEGIES[serving["strategy"]]
    routing: dict[str, Any] = {"Type": kind, "WaitIntervalInSeconds": int(serving["wait_interval_seconds"])}
    if kind == "CANARY":
        routing["CanarySize"] = {"Type": "CAPACITY_PERCENT", "Value": int(serving["canary_percent"])}
    elif kind == "LINEAR":
        routing["LinearStepSize"] = {"Type": "CAPACITY_PERCENT", "Value": int(serving["linear_step_percent"])}
    return {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": routing,
            "TerminationWaitInSeconds": int(serving["termination_wait_seconds"]),
            "MaximumExecutionTimeoutInSeconds": int(serving["max_execution_timeout_seconds"]),
        },
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": name} for name in alarm_names]},
    }
