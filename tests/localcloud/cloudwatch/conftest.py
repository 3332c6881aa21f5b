"""One embedded cloud for the alarm tests and a clock they control.

Tests freeze `cloud.alarms.clock`, put datapoints with explicit timestamps in the periods
before it, then advance it and call `evaluate_now()`: no sleeping, no race with period
boundaries. Data for a period is put before the clock passes that period, as it would be.
"""

from __future__ import annotations

import json
import math
import time

import pytest

from mlops.localcloud.server import EmbeddedCloud
from tests.localcloud.cloudwatch.alarm_support import Clock, queue_arn


@pytest.fixture(scope="package")
def cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as running:
        yield running


@pytest.fixture
def cw(cloud):
    return cloud.client("cloudwatch")


@pytest.fixture
def clock(cloud):
    """Frozen half a second after a minute boundary (`clock.start`), where periods of every
    length start; restored to real time afterwards."""
    real = cloud.alarms.clock
    frozen = Clock(math.floor(time.time() / 60) * 60 + 0.5)
    frozen.start = frozen.now - 0.5
    cloud.alarms.clock = frozen
    yield frozen
    cloud.alarms.clock = real


@pytest.fixture
def name(request) -> str:
    """A name unique to the test, for its alarm and its metric."""
    return request.node.name.replace("[", "-").replace("]", "")[:200]


@pytest.fixture
def state_changes(cloud, name):
    """The URL of an SQS queue behind a rule on the default bus for this test's alarm's
    `CloudWatch Alarm State Change` events."""
    sqs, events = cloud.client("sqs"), cloud.client("events")
    url = sqs.create_queue(QueueName=name[:70])["QueueUrl"]
    events.put_rule(Name=name[:64], EventPattern=json.dumps({
        "source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
        "detail": {"alarmName": [name]}}))
    events.put_targets(Rule=name[:64], Targets=[{"Id": "queue", "Arn": queue_arn(sqs, url)}])
    yield url
    events.remove_targets(Rule=name[:64], Ids=["queue"])
    events.delete_rule(Name=name[:64])
