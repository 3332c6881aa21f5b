"""A second approved version reaches the endpoint by canary: part of the traffic first, then
all of it, while every request keeps getting an answer."""

from __future__ import annotations

import pytest

from tests.e2e_serving.conftest import package

pytestmark = pytest.mark.e2e


def test_the_canary_completes_on_the_new_version(stack, serving, canary):
    arn, before, summary, _ = canary
    assert summary.succeeded, (summary.error, summary.cause)
    endpoint = serving.describe("penguins")
    assert endpoint["EndpointStatus"] == "InService"
    assert endpoint["EndpointConfigName"] != before
    assert endpoint["EndpointConfigName"] == package(stack, arn)["CustomerMetadataProperties"]["EndpointConfigName"]


def test_traffic_moved_in_a_canary_step_first(stack, serving, canary):
    _, before, _, _ = canary
    new = serving.describe("penguins")["EndpointConfigName"]
    steps = [_by_config(step.weights) for step in stack.cloud.endpoints.history(serving.endpoint("penguins"))]
    steps = [weights for weights in steps if new in weights]
    # The 25% canary of the config first, with the old fleet still answering the rest; then all.
    assert 0.2 < steps[0][new] < 0.3 and steps[0][before] > 0.7, steps
    assert steps[-1] == {new: 1.0}


def _by_config(weights: dict[str, float]) -> dict[str, float]:
    """{"<config>/<variant>": share} as {config: share of all traffic}."""
    total = sum(weights.values()) or 1.0
    shares: dict[str, float] = {}
    for key, weight in weights.items():
        config = key.rsplit("/", 1)[0]
        shares[config] = shares.get(config, 0.0) + weight / total
    return {config: share for config, share in shares.items() if share > 0}


def test_no_request_failed_during_the_canary(canary):
    *_, load = canary
    assert len(load.outcomes) > 20
    assert load.failures == []


def test_the_endpoint_wide_alarm_stayed_ok(stack, serving, canary):
    alarm = stack.cloud.client("cloudwatch").describe_alarms(
        AlarmNames=[f"{serving.endpoint('penguins')}-5xx"])["MetricAlarms"][0]
    assert alarm["StateValue"] == "OK"


def test_the_new_fleet_alarms_were_removed_after_the_deployment(stack, serving, canary):
    config = serving.describe("penguins")["EndpointConfigName"]
    names = [a["AlarmName"] for a in stack.cloud.client("cloudwatch").describe_alarms(
        AlarmNamePrefix=serving.endpoint("penguins"))["MetricAlarms"]]
    assert f"{serving.endpoint('penguins')}-5xx" in names
    assert [name for name in names if config in name] == []
