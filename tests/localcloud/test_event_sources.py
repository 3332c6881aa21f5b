"""PutEvents in the embedded cloud refuses `aws.` sources per entry, as EventBridge does, and
delivers the other entries of the same request."""

from __future__ import annotations

import json

import pytest

from mlops.localcloud.server import EmbeddedCloud


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    """An embedded cloud (its PutEvents hook installed) with one rule matching every event."""
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as cloud:
        client, sqs = cloud.client("events"), cloud.client("sqs")
        queue = sqs.create_queue(QueueName="seen")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        client.put_rule(Name="everything", EventPattern=json.dumps({"detail-type": [{"prefix": ""}]}))
        client.put_targets(Rule="everything", Targets=[{"Id": "queue", "Arn": arn}])
        yield client, cloud.bus


def _entry(source: str) -> dict:
    return {"Source": source, "DetailType": "Object Created", "Detail": json.dumps({"bucket": {"name": "b"}})}


def _delivered_sources(bus, since: int) -> list[str]:
    bus.wait_idle()
    return sorted(event["source"] for event in bus.events_seen[since:])


def test_an_aws_source_is_refused_as_eventbridge_refuses_it(events):
    client, bus = events
    seen = len(bus.events_seen)
    answer = client.put_events(Entries=[_entry("aws.s3")])
    assert answer["FailedEntryCount"] == 1
    assert answer["Entries"] == [{"ErrorCode": "NotAuthorizedForSourceException",
                                  "ErrorMessage": "Not authorized for the source."}]
    assert _delivered_sources(bus, seen) == []


def test_other_entries_of_the_request_go_through_in_order(events):
    client, bus = events
    seen = len(bus.events_seen)
    answer = client.put_events(Entries=[_entry("mlops.test"), _entry("aws.sagemaker"), _entry("my.app")])
    assert answer["FailedEntryCount"] == 1
    first, refused, third = answer["Entries"]
    assert "EventId" in first and "EventId" in third
    assert refused["ErrorCode"] == "NotAuthorizedForSourceException"
    assert _delivered_sources(bus, seen) == ["mlops.test", "my.app"]
