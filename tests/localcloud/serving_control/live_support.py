"""Live-test helpers: an endpoint under test (its configs, the statuses it went through), a
client invoking it in a loop and counting failures, and a queue receiving its state changes."""

from __future__ import annotations

import json
import threading
import time

from tests.localcloud.serving.support import PENGUIN_ROW, create_model_from_package


def state_changes(cloud, name: str):
    """A queue behind a rule for the endpoint's `SageMaker Endpoint State Change` events, and
    statuses(n): the statuses received, waiting (up to 10 s) until there are n."""
    sqs, events = cloud.client("sqs"), cloud.client("events")
    url = sqs.create_queue(QueueName=f"{name}-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=f"{name}-events", EventPattern=json.dumps({
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Endpoint State Change"],
        "detail": {"EndpointName": [name]}}))
    events.put_targets(Rule=f"{name}-events", Targets=[{"Id": "queue", "Arn": arn}])
    received = []

    def statuses(expected: int) -> list[str]:
        deadline = time.time() + 10
        while len(received) < expected and time.time() < deadline:
            cloud.bus.wait_idle(10)
            for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                received.append(json.loads(message["Body"])["detail"]["EndpointStatus"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return received
    return statuses


class Endpoint:
    """One endpoint of a test: its configs, its status over time, a client invoking it."""

    def __init__(self, cloud, packages, name: str) -> None:
        self.cloud, self.packages, self.name = cloud, packages, name
        self.sm = cloud.client("sagemaker")
        self.seen: list[dict] = []

    def config(self, version: str) -> str:
        config = f"{self.name}-{version}"
        create_model_from_package(self.sm, config, getattr(self.packages, version))
        self.sm.create_endpoint_config(EndpointConfigName=config, ProductionVariants=[{
            "VariantName": "AllTraffic", "ModelName": config, "InstanceType": "ml.m5.large",
            "InitialInstanceCount": 1, "InitialVariantWeight": 1.0}])
        return config

    def create(self) -> dict:
        self.sm.create_endpoint(EndpointName=self.name, EndpointConfigName=self.config("v1"))
        return self.wait(lambda d: d["EndpointStatus"] != "Creating")

    def describe(self) -> dict:
        described = self.sm.describe_endpoint(EndpointName=self.name)
        self.seen.append(described)
        return described

    def wait(self, done, timeout: float = 90.0) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline:
            described = self.describe()
            if done(described):
                return described
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: still {described['EndpointStatus']} after {timeout} s")

    def settled(self) -> dict:
        return self.wait(lambda d: d["EndpointStatus"] in ("InService", "Failed"))

    def statuses(self) -> list[str]:
        out = []
        for described in self.seen:
            if not out or out[-1] != described["EndpointStatus"]:
                out.append(described["EndpointStatus"])
        return out

    def reasons(self) -> list[str]:
        return [step.reason for step in self.cloud.endpoints.history(self.name)]


class Invoker(threading.Thread):
    """Invokes the endpoint in a loop and counts what failed (an error or an empty answer)."""

    def __init__(self, cloud, name: str) -> None:
        super().__init__(daemon=True)
        self.runtime, self.name = cloud.client("sagemaker-runtime"), name
        self.answers, self.failures, self.halt = 0, [], threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                answer = self.runtime.invoke_endpoint(EndpointName=self.name, ContentType="text/csv",
                                                      Accept="application/json", Body=PENGUIN_ROW)
                body = json.loads(answer["Body"].read())
                assert body["predictions"] and answer["InvokedProductionVariant"] == "AllTraffic", body
                self.answers += 1
            except Exception as exc:  # every kind of failure counts
                self.failures.append(repr(exc))
            time.sleep(0.01)

    def __enter__(self) -> "Invoker":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.halt.set()
        self.join(30)
