"""When traffic moves, and back: the deployer's steps and bakes on virtual time, fake fleets."""

from __future__ import annotations

from tests.localcloud.serving_control.conftest import canary, deployment


def update(plane, config="green", model="model-green", endpoint="ep", **kwargs) -> None:
    plane.model(model)
    plane.config(config, model)
    plane.sm.update_endpoint(EndpointName=endpoint, EndpointConfigName=config, **kwargs)


def test_a_new_endpoint_is_creating_then_in_service_with_its_fleet_routed(plane):
    plane.model("model-blue")
    plane.config("blue", "model-blue", count=2)
    plane.sm.create_endpoint(EndpointName="ep", EndpointConfigName="blue")
    assert plane.sm.describe_endpoint(EndpointName="ep")["EndpointStatus"] in ("Creating", "InService")
    described = plane.settle("ep")
    assert described["EndpointStatus"] == "InService" and "FailureReason" not in described
    [variant] = described["ProductionVariants"]
    assert (variant["CurrentWeight"], variant["CurrentInstanceCount"], variant["DesiredInstanceCount"]) == (1.0, 2, 2)
    assert variant["DeployedImages"][0]["SpecifiedImage"] == "sklearn:1.9-0"
    assert plane.router.shares("ep") == [(0.0, {"blue/AllTraffic": 1.0})]
    assert [s.reason for s in plane.controller.history("ep")] == ["create"]


def test_a_fleet_that_cannot_start_fails_the_new_endpoint_with_its_reason(plane):
    plane.fleets.failing["model-blue"] = "The model data could not be read: NoSuchKey"
    described = plane.endpoint()
    assert described["EndpointStatus"] == "Failed"
    assert described["FailureReason"] == "The model data could not be read: NoSuchKey"
    assert plane.router.shares("ep") == []


def test_canary_moves_the_canary_share_then_all_traffic_after_the_wait_interval(plane):
    plane.endpoint()
    update(plane, DeploymentConfig=canary(10, wait=60, termination=30))
    described = plane.settle("ep")
    assert described["EndpointStatus"] == "InService" and described["EndpointConfigName"] == "green"
    assert plane.router.shares("ep")[1:] == [
        (0.0, {"blue/AllTraffic": 0.9, "green/AllTraffic": 0.1}),
        (60.0, {"green/AllTraffic": 1.0}),
    ]
    blue = [f for f in plane.fleets.started if f.spec.endpoint_config_name == "blue"]
    assert all(f.closed for f in blue) and plane.clock.now() == 90.0  # closed after the termination wait
    assert [s.reason for s in plane.controller.history("ep")] == ["create", "canary", "all traffic"]
    assert "PendingDeploymentSummary" not in described


def test_linear_steps_every_wait_interval(plane):
    plane.endpoint()
    update(plane, DeploymentConfig=deployment("LINEAR", 20, 10,
                                              LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 50}))
    assert plane.settle("ep")["EndpointConfigName"] == "green"
    assert [(t, shares.get("green/AllTraffic")) for t, shares in plane.router.shares("ep")[1:]] == [
        (0.0, 0.5), (20.0, 1.0)]


def test_without_deployment_config_all_traffic_moves_at_once(plane):
    plane.endpoint()
    update(plane)
    described = plane.settle("ep")
    assert (described["EndpointConfigName"], described["EndpointStatus"]) == ("green", "InService")
    assert plane.router.shares("ep")[1:] == [(0.0, {"green/AllTraffic": 1.0})]
    assert "LastDeploymentConfig" not in described


def test_an_alarm_during_the_canary_rolls_back_to_the_old_config_with_no_failure_reason(plane):
    plane.endpoint()
    plane.fire_at(25.0, plane.alarm("ep-5xx"))
    update(plane, DeploymentConfig=canary(10, wait=60, termination=30, alarms=["ep-5xx"]))
    described = plane.settle("ep")
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "blue")
    assert "FailureReason" not in described and "PendingDeploymentSummary" not in described
    assert plane.router.shares("ep")[-1] == (25.0, {"blue/AllTraffic": 1.0})
    assert all(f.closed for f in plane.fleets.started if f.spec.endpoint_config_name == "green")
    assert not any(f.closed for f in plane.fleets.started if f.spec.endpoint_config_name == "blue")
    last = plane.controller.history("ep")[-1]
    assert (last.reason, last.alarm, last.endpoint_config_name) == ("rollback: alarm ep-5xx", "ep-5xx", "blue")


def test_an_alarm_during_the_termination_wait_still_rolls_back(plane):
    plane.endpoint()
    plane.fire_at(75.0, plane.alarm("latency"))
    update(plane, DeploymentConfig=canary(10, wait=60, termination=30, alarms=["latency"]))
    assert plane.settle("ep")["EndpointConfigName"] == "blue"
    assert [t for t, _ in plane.router.shares("ep")] == [0.0, 0.0, 60.0, 75.0]


def test_past_the_maximum_execution_timeout_the_update_rolls_back_naming_it(plane):
    plane.endpoint()
    plane.clock.at(1.0, lambda: setattr(plane.clock, "t", 700.0))  # time passes faster than planned
    update(plane, DeploymentConfig=canary(10, wait=500, termination=50,
                                          policy={"MaximumExecutionTimeoutInSeconds": 600}))
    described = plane.settle("ep")
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "blue")
    assert "MaximumExecutionTimeoutInSeconds (600 seconds)" in described["FailureReason"]


def test_a_green_fleet_that_cannot_start_leaves_the_old_config_serving_with_the_reason(plane):
    plane.endpoint()
    plane.fleets.failing["model-green"] = "The primary container for production variant AllTraffic did not pass " \
                                          "the ping health check."
    update(plane, DeploymentConfig=canary())
    described = plane.settle("ep")
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "blue")
    assert "did not pass the ping health check" in described["FailureReason"]
    assert plane.router.shares("ep") == [(0.0, {"blue/AllTraffic": 1.0})]
