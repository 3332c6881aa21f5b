"""Endpoints in a started embedded cloud, with real fleets serving a real model: create, the
blue/green updates (canary, linear, all at once), an alarm rollback, refusals, a green model
that cannot load, and requests answered throughout. The alarm is driven with SetAlarmState:
these tests are about the deployer, not about the alarm evaluator."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.server import EmbeddedCloud
from tests.localcloud.serving.support import register_package, upload_artifacts
from tests.localcloud.serving_control.conftest import canary, deployment
from tests.localcloud.serving_control.live_support import Endpoint, Invoker, state_changes

GROUP = "ServingControl-penguins"


def baking(described: dict) -> bool:
    """The new fleet is baking (traffic shifted, alarms watched)."""
    return "Baking" in json.dumps(described.get("PendingDeploymentSummary", {}), default=str)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as running:
        yield running


@pytest.fixture(scope="module")
def packages(cloud, tmp_path_factory) -> SimpleNamespace:
    """One trained model registered twice (two versions), and a version whose model data is gone."""
    sm = cloud.client("sagemaker")
    artifacts = upload_artifacts(cloud.client("s3"), "serving-control", tmp_path_factory.mktemp("models"),
                                 estimators=("random_forest",))
    url = artifacts.model_urls["random_forest"]
    return SimpleNamespace(
        v1=register_package(sm, GROUP, url, artifacts.source_url),
        v2=register_package(sm, GROUP, url, artifacts.source_url),
        broken=register_package(sm, GROUP, f"s3://{artifacts.bucket}/models/gone/model.tar.gz", artifacts.source_url),
    )


@pytest.fixture
def new_endpoint(cloud, packages):
    """new_endpoint(name): one endpoint of this test, deleted (its fleets closed) afterwards."""
    made = []

    def make(name: str) -> Endpoint:
        made.append(Endpoint(cloud, packages, name))
        return made[-1]
    yield make
    for each in made:
        each.settled()
        each.sm.delete_endpoint(EndpointName=each.name)


def test_a_new_endpoint_goes_from_creating_to_in_service_and_answers(cloud, new_endpoint):
    endpoint = new_endpoint("live-create")
    described = endpoint.create()
    assert endpoint.statuses() == ["Creating", "InService"] and described["EndpointConfigName"] == "live-create-v1"
    assert described["ProductionVariants"][0]["DeployedImages"][0]["SpecifiedImage"].endswith("1.9-0-cpu-py3")
    with Invoker(cloud, endpoint.name) as invoker:
        time.sleep(0.5)
    assert invoker.answers > 0 and invoker.failures == []
    assert endpoint.reasons() == ["create"]


def test_a_canary_update_shows_its_weights_completes_on_the_new_config_and_drops_nothing(cloud, new_endpoint):
    endpoint = new_endpoint("live-canary")
    endpoint.create()
    new = endpoint.config("v2")
    with Invoker(cloud, endpoint.name) as invoker:
        endpoint.sm.update_endpoint(EndpointName=endpoint.name, EndpointConfigName=new,
                                    DeploymentConfig=canary(20, wait=3, termination=1))
        canary_view = endpoint.wait(baking)
        described = endpoint.wait(lambda d: d["EndpointStatus"] == "InService")
    assert invoker.answers > 20 and invoker.failures == []
    assert canary_view["ProductionVariants"][0]["CurrentWeight"] == 0.8
    assert canary_view["PendingDeploymentSummary"]["ProductionVariants"][0]["CurrentWeight"] == 0.2
    assert described["EndpointConfigName"] == new and "PendingDeploymentSummary" not in described
    assert endpoint.reasons() == ["create", "canary", "all traffic"]
    steps = cloud.endpoints.history(endpoint.name)
    assert steps[1].weights == {"live-canary-v1/AllTraffic": 0.8, "live-canary-v2/AllTraffic": 0.2}
    assert (steps[2].time - steps[1].time).total_seconds() >= 3


def test_linear_shifts_in_steps_and_all_at_once_in_one(cloud, new_endpoint):
    endpoint = new_endpoint("live-linear")
    endpoint.create()
    linear = deployment("LINEAR", 1, 0, LinearStepSize={"Type": "CAPACITY_PERCENT", "Value": 50})
    endpoint.sm.update_endpoint(EndpointName=endpoint.name, EndpointConfigName=endpoint.config("v2"),
                                DeploymentConfig=linear)
    assert endpoint.settled()["EndpointConfigName"] == "live-linear-v2"
    endpoint.sm.update_endpoint(EndpointName=endpoint.name, EndpointConfigName="live-linear-v1")  # no DeploymentConfig
    described = endpoint.settled()
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "live-linear-v1")
    assert endpoint.reasons() == ["create", "linear step 1 of 2", "linear step 2 of 2: all traffic", "all traffic"]


def test_an_alarm_during_the_canary_rolls_back_to_the_old_config_while_requests_keep_succeeding(cloud, new_endpoint):
    endpoint = new_endpoint("live-rollback")
    statuses = state_changes(cloud, endpoint.name)
    endpoint.create()
    # A test metric, so that an alarm evaluator, if one runs, agrees with the state the test sets.
    cw, alarm = cloud.client("cloudwatch"), "live-rollback-fire"
    cw.put_metric_alarm(AlarmName=alarm, Namespace="ServingControlTest", MetricName="Fire", Statistic="Maximum",
                        Period=10, EvaluationPeriods=1, Threshold=0, ComparisonOperator="GreaterThanThreshold",
                        TreatMissingData="notBreaching")
    new = endpoint.config("v2")
    with Invoker(cloud, endpoint.name) as invoker:
        endpoint.sm.update_endpoint(EndpointName=endpoint.name, EndpointConfigName=new,
                                    DeploymentConfig=canary(20, wait=20, termination=5, alarms=[alarm]))
        endpoint.wait(baking)
        with pytest.raises(ClientError, match="Cannot update in-progress endpoint"):
            endpoint.sm.update_endpoint(EndpointName=endpoint.name, EndpointConfigName="live-rollback-v1")
        time.sleep(0.5)
        cw.put_metric_data(Namespace="ServingControlTest", MetricData=[{"MetricName": "Fire", "Value": 1.0}])
        cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="the test drives the alarm")
        described = endpoint.wait(lambda d: d["EndpointStatus"] == "InService")
        time.sleep(0.5)
    cw.delete_alarms(AlarmNames=[alarm])
    assert (described["EndpointConfigName"], described.get("FailureReason")) == ("live-rollback-v1", None)
    assert invoker.answers > 20 and invoker.failures == []
    last = cloud.endpoints.history(endpoint.name)[-1]
    assert (last.reason, last.alarm, last.weights) == (f"rollback: alarm {alarm}", alarm,
                                                       {"live-rollback-v1/AllTraffic": 1.0})
    assert not [f for f in cloud.fleets.fleets() if f.spec.endpoint_config_name == new]
    # (delivery runs on a pool, so the order of arrival is not the order of sending)
    assert sorted(statuses(5)) == sorted(["CREATING", "IN_SERVICE", "UPDATING", "ROLLING_BACK", "IN_SERVICE"])


def test_an_update_naming_a_missing_alarm_is_refused(cloud, new_endpoint):
    endpoint = new_endpoint("live-refusals")
    endpoint.create()
    with pytest.raises(ClientError, match="The alarm.s. no-such-alarm named in"):
        endpoint.sm.update_endpoint(EndpointName=endpoint.name, EndpointConfigName=endpoint.config("v2"),
                                    DeploymentConfig=canary(alarms=["no-such-alarm"]))
    assert endpoint.describe()["EndpointStatus"] == "InService"


def test_a_green_model_that_cannot_load_leaves_the_old_config_serving_with_the_reason(cloud, new_endpoint):
    endpoint = new_endpoint("live-broken")
    endpoint.create()
    with Invoker(cloud, endpoint.name) as invoker:
        endpoint.sm.update_endpoint(EndpointName=endpoint.name, EndpointConfigName=endpoint.config("broken"),
                                    DeploymentConfig=canary(10, wait=1, termination=0))
        described = endpoint.wait(lambda d: d["EndpointStatus"] == "InService")
    assert described["EndpointConfigName"] == "live-broken-v1"
    assert "gone/model.tar.gz" in described["FailureReason"]
    assert invoker.failures == [] and endpoint.reasons() == ["create"]
