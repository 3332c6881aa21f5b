"""The endpoint control plane over in-process moto, with fake fleets and virtual time."""

from __future__ import annotations

from types import SimpleNamespace

import boto3
import pytest
from moto import mock_aws
from moto.cloudwatch.models import cloudwatch_backends
from moto.sagemaker.models import sagemaker_backends

from mlops.localcloud.serving import control
from mlops.localcloud.serving.control import EndpointController
from tests.localcloud.serving_control.fakes import FakeClock, FakeFleetHost, FakeRouter

ACCOUNT, REGION = "123456789012", "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/model"


class Plane(SimpleNamespace):
    """The controller under test plus the calls a test makes to it through boto3."""

    def model(self, name: str, image: str = "sklearn:1.9-0") -> str:
        self.sm.create_model(ModelName=name, ExecutionRoleArn=ROLE,
                             PrimaryContainer={"Image": image, "ModelDataUrl": f"s3://models/{name}.tar.gz"})
        return name

    def config(self, name: str, model: str, *, variant: str = "AllTraffic", count: int = 1, weight: float = 1.0,
               shadow: dict | None = None, capture: dict | None = None) -> str:
        request = {"EndpointConfigName": name, "ProductionVariants": [{
            "VariantName": variant, "ModelName": model, "InstanceType": "ml.m5.large",
            "InitialInstanceCount": count, "InitialVariantWeight": weight}]}
        if shadow:
            request["ShadowProductionVariants"] = [{"InstanceType": "ml.m5.large", "InitialInstanceCount": 1,
                                                    **shadow}]
        if capture:
            request["DataCaptureConfig"] = capture
        self.sm.create_endpoint_config(**request)
        return name

    def state(self, endpoint: str):
        return self.controller.state(sagemaker_backends[ACCOUNT][REGION], endpoint)

    def settle(self, endpoint: str) -> dict:
        """Wait for the endpoint's worker, then DescribeEndpoint."""
        state = self.state(endpoint)
        if state is not None and state.worker is not None:
            state.worker.join(10)
            assert not state.worker.is_alive(), f"{endpoint}: the worker did not finish"
        return self.sm.describe_endpoint(EndpointName=endpoint)

    def endpoint(self, name: str = "ep", config: str = "blue", model: str = "model-blue", **config_kwargs) -> dict:
        self.model(model)
        self.config(config, model, **config_kwargs)
        self.sm.create_endpoint(EndpointName=name, EndpointConfigName=config)
        return self.settle(name)

    def alarm(self, name: str) -> str:
        self.cw.put_metric_alarm(AlarmName=name, Namespace="AWS/SageMaker", MetricName="Invocation5XXErrors",
                                 Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=0,
                                 ComparisonOperator="GreaterThanThreshold")
        return name

    def fire_at(self, when: float, alarm: str) -> None:
        self.clock.at(when, lambda: cloudwatch_backends[ACCOUNT][REGION].set_alarm_state(
            alarm, "test drives the alarm", "{}", "ALARM"))


@pytest.fixture
def plane():
    with mock_aws():
        clock, fleets, events = FakeClock(), FakeFleetHost(), []
        router = FakeRouter(clock)
        controller = EndpointController(fleets=fleets, router=router, clock=clock,
                                        deliver=lambda account, region, event: events.append(event))
        control.install(controller)
        try:
            yield Plane(controller=controller, clock=clock, fleets=fleets, router=router, events=events,
                        sm=boto3.client("sagemaker", region_name=REGION),
                        cw=boto3.client("cloudwatch", region_name=REGION))
        finally:
            controller.close()
            control.install(None)


def canary(percent: int = 10, wait: int = 60, termination: int = 30, alarms=(), policy: dict | None = None) -> dict:
    return deployment("CANARY", wait, termination, alarms, policy,
                      CanarySize={"Type": "CAPACITY_PERCENT", "Value": percent})


def deployment(kind: str, wait: int = 60, termination: int = 30, alarms=(), policy: dict | None = None,
               **routing) -> dict:
    config = {"BlueGreenUpdatePolicy": {
        "TrafficRoutingConfiguration": {"Type": kind, "WaitIntervalInSeconds": wait, **routing},
        "TerminationWaitInSeconds": termination, **(policy or {})}}
    if alarms:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": a} for a in alarms]}
    return config
