"""Helpers for the alarm tests: a controllable clock, putting data, reading alarm state, and
an SQS queue behind an EventBridge rule or an SNS topic to observe what an alarm sends."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

NAMESPACE = "Local/AlarmTests"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.start = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def put(cw, metric: str, *, when: float, value: float | None = None, values=None, counts=None,
        dimensions=None, unit: str | None = None, namespace: str = NAMESPACE) -> None:
    datum = {"MetricName": metric, "Timestamp": at(when), "Dimensions": dimensions or []}
    if values is not None:
        datum["Values"] = values
        if counts is not None:
            datum["Counts"] = counts
    else:
        datum["Value"] = value
    if unit:
        datum["Unit"] = unit
    cw.put_metric_data(Namespace=namespace, MetricData=[datum])


def alarm(cw, name: str, **overrides) -> None:
    """A 10-second Sum > 0 alarm on the metric named like the alarm, unless overridden."""
    request = {"AlarmName": name, "Namespace": NAMESPACE, "MetricName": name, "Statistic": "Sum",
               "Period": 10, "EvaluationPeriods": 1, "Threshold": 0.0,
               "ComparisonOperator": "GreaterThanThreshold"}
    request.update(overrides)
    cw.put_metric_alarm(**{k: v for k, v in request.items() if v is not None})


def state(cw, name: str) -> dict:
    [described] = cw.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    return described


def reason_data(cw, name: str) -> dict:
    return json.loads(state(cw, name)["StateReasonData"])


def queue_arn(sqs, url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def received(cloud, url: str, count: int, timeout: float = 10.0) -> list[dict]:
    """Up to `count` message bodies from the queue, waiting at most `timeout` seconds."""
    sqs, bodies, deadline = cloud.client("sqs"), [], time.time() + timeout
    while len(bodies) < count and time.time() < deadline:
        cloud.bus.wait_idle(timeout)
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if len(bodies) < count:
            time.sleep(0.1)
    return bodies
