"""Fixtures shared by the embedded-cloud tests that watch the events a service sends: an
embedded cloud per test module, and an SQS queue behind an EventBridge rule on its default bus
to receive what the rule matches (the way the stack's own rules would see the events)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

import pytest

from mlops.localcloud.server import EmbeddedCloud


@dataclass(frozen=True)
class EventQueue:
    cloud: EmbeddedCloud
    url: str

    def received(self, count: int, timeout: float = 10.0) -> list[dict]:
        """The events delivered so far (each taken off the queue), waiting up to `timeout`
        seconds until there are `count`: fewer when no more arrive in time."""
        sqs, events, deadline = self.cloud.client("sqs"), [], time.time() + timeout
        while len(events) < count and time.time() < deadline:
            # Deliveries run on the bus's threads: let them finish before reading the queue.
            self.cloud.bus.wait_idle(min(5.0, max(0.0, deadline - time.time())))
            answer = sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for message in answer.get("Messages", []):
                events.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        return events


@pytest.fixture(scope="module")
def embedded_cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as running:
        yield running


@pytest.fixture
def event_queue(request):
    """`event_queue(cloud, pattern)`: an EventQueue behind a rule matching the event pattern
    `pattern` (a dict), both named after the test; rules and targets are removed after it."""
    made: list[tuple[EmbeddedCloud, str]] = []

    def make(cloud: EmbeddedCloud, pattern: dict) -> EventQueue:
        sqs, events = cloud.client("sqs"), cloud.client("events")
        # Letters, digits, '-' and '_' suit both a queue and a rule name; a rule's holds 64.
        name = f"{re.sub(r'[^A-Za-z0-9_-]', '-', request.node.name)[:60]}-{len(made)}"
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name=name, EventPattern=json.dumps(pattern))
        events.put_targets(Rule=name, Targets=[{"Id": "queue", "Arn": arn}])
        made.append((cloud, name))
        return EventQueue(cloud, url)

    yield make
    for cloud, name in made:
        events = cloud.client("events")
        events.remove_targets(Rule=name, Ids=["queue"])
        events.delete_rule(Name=name)
