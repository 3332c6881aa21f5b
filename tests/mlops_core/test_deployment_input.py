"""The deployment execution input: names, thresholds in CloudWatch's units, the blue/green
policy of each strategy, and settings read defensively."""

from __future__ import annotations

import pytest

from mlops_core.approval_event import ApprovalEvent
from mlops_core.deployment_input import build_deployment_input
from mlops_core.naming import deployment_hash
from tests.mlops_core.deployment_builders import APPROVED_AT, GROUP, PACKAGE_ARN, approval_event, penguins_settings


def _input(settings: dict | None = None) -> dict:
    return build_deployment_input(model="penguins", settings=settings or penguins_settings(),
                                  approval=ApprovalEvent.from_event(approval_event()), poll_seconds=5)


def test_the_input_carries_the_model_package_settings_and_poll_interval():
    data = _input()
    digest = deployment_hash(PACKAGE_ARN, APPROVED_AT)
    assert data["model"] == "penguins" and data["poll_seconds"] == 5
    assert data["deployment_id"] == f"dp-penguins-{digest[:16]}"
    assert (data["model_package_arn"], data["model_package_group"], data["approved_at"]) == (
        PACKAGE_ARN, GROUP, APPROVED_AT)
    assert data["serving"] == penguins_settings()["serving"]


def test_every_name_is_decided_once_in_the_input():
    config = f"penguins-{deployment_hash(PACKAGE_ARN, APPROVED_AT)[:12]}"
    latency, errors = f"MlopsStack-penguins-{config}-latency", f"MlopsStack-penguins-{config}-5xx"
    assert _input()["names"] == {
        "endpoint": "MlopsStack-penguins", "variant": "AllTraffic", "model": config, "endpoint_config": config,
        "shadow_endpoint_config": f"{config}-shadow", "shadow_variant": "AllTraffic-shadow",
        "endpoint_alarm": "MlopsStack-penguins-5xx", "latency_alarm": latency, "errors_alarm": errors,
        "new_fleet_alarms": [latency, errors], "rollback_alarms": ["MlopsStack-penguins-5xx", latency, errors],
    }


def test_thresholds_are_in_cloudwatch_units():
    settings = penguins_settings(alarms={"latency_p99_ms": 250, "error_threshold": 2, "period_seconds": 30,
                                        "evaluation_periods": 3})
    assert _input(settings)["alarms"] == {"period_seconds": 30, "evaluation_periods": 3, "error_threshold": 2.0,
                                          "latency_p99_us": 250_000.0}


def test_the_shadow_weight_is_the_sampled_share_relative_to_production():
    settings = penguins_settings(shadow={"enabled": True, "sampling_percent": 40, "duration_seconds": 7})
    assert _input(settings)["shadow"] == {
        "enabled": True, "duration_seconds": 7, "variant_weight": 0.4,
        "thresholds": {"min_requests": 10, "min_agreement": 0.95, "max_latency_ratio": 2.0}}


def test_canary_is_the_default_policy_with_all_three_rollback_alarms():
    data = _input()
    assert data["deployment_config"] == {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {"Type": "CANARY", "WaitIntervalInSeconds": 300,
                                            "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10}},
            "TerminationWaitInSeconds": 300, "MaximumExecutionTimeoutInSeconds": 3600},
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": name} for name in data["names"]["rollback_alarms"]]},
    }


@pytest.mark.parametrize(("strategy", "routing"), [
    ("linear", {"Type": "LINEAR", "WaitIntervalInSeconds": 60,
                "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 20}}),
    ("all_at_once", {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 60}),
])
def test_other_strategies_shape_the_traffic_routing(strategy, routing):
    settings = penguins_settings(strategy=strategy, linear_step_percent=20, wait_interval_seconds=60)
    policy = _input(settings)["deployment_config"]["BlueGreenUpdatePolicy"]
    assert policy["TrafficRoutingConfiguration"] == routing


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.pop("serving"), "settings.serving is missing"),
    (lambda s: s["serving"].pop("endpoint_name"), "settings.serving.endpoint_name is missing"),
    (lambda s: s["serving"]["alarms"].update(latency_p99_ms="fast"), "settings.serving.alarms.latency_p99_ms must be "
                                                                     "a number, got 'fast'"),
    (lambda s: s["serving"].update(instance_count=1.5), "settings.serving.instance_count must be a whole number"),
    (lambda s: s["serving"]["shadow"].update(enabled="yes"), "settings.serving.shadow.enabled must be true or false"),
    (lambda s: s["serving"].update(strategy="rolling"), "settings.serving.strategy must be one of canary, linear"),
    (lambda s: s["serving"].update(variant_name=""), "settings.serving.variant_name must be a non-empty string"),
])
def test_an_edited_settings_document_fails_naming_the_key(change, message):
    settings = penguins_settings()
    change(settings)
    with pytest.raises(ValueError, match=None) as caught:
        _input(settings)
    assert message in str(caught.value)
