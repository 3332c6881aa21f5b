"""Events that are not this stack's uploads: from another bucket, from another account, forged
with AWS's own source, lookalikes with a custom source, direct invocations of StartPipeline,
and retraining requests for what does not exist. EventBridge refuses or ignores what it would
on AWS; what reaches StartPipeline is ignored with the reason (or, malformed, dead-lettered with
it), and no run starts."""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e_security.support import invoke_start_pipeline, physical_id

pytestmark = pytest.mark.e2e
OTHER_BUCKET = "someone-elses-datasets"
KEY = "datasets/penguins/penguins.csv"


def _s3_event(*, bucket: str, account: str = "123456789012", key: str = KEY, **changes) -> dict:
    event = {"version": "0", "id": "0b1c2d3e-0000-4000-8000-000000000000", "detail-type": "Object Created",
             "source": "aws.s3", "account": account, "time": "2026-11-27T10:00:00Z", "region": "us-east-1",
             "resources": [f"arn:aws:s3:::{bucket}"],
             "detail": {"version": "0", "bucket": {"name": bucket},
                        "object": {"key": key, "size": 15241, "etag": "0" * 32, "version-id": "v1"},
                        "request-id": "X", "requester": account, "source-ip-address": "1.2.3.4", "reason": "PutObject"}}
    event.update(changes)
    return event


def _runs(stack) -> set[str]:
    return {e["name"] for e in stack.executions()}


def _deliveries_to(stack, rule: str, predicate) -> list:
    """Deliveries of the events `predicate` picks by `rule` (a rule name, or the logical id
    prefix of one of the stack's rules)."""
    stack.cloud.bus.wait_idle()
    name = rule if rule == "security-witness" else physical_id(stack, "AWS::Events::Rule", rule).split("|")[-1]
    return [d for d in stack.cloud.bus.deliveries if d.rule_name == name and predicate(d.event)]


@pytest.fixture(scope="module")
def witness(stack):
    """A rule of the test's own on every S3 event, into a queue: proof an event was put on the bus."""
    events, sqs = stack.cloud.client("events"), stack.cloud.client("sqs")
    queue = sqs.create_queue(QueueName="security-witness")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="security-witness", EventPattern=json.dumps({"source": ["aws.s3"]}))
    events.put_targets(Rule="security-witness", Targets=[{"Id": "queue", "Arn": arn}])
    return "security-witness"


def test_an_upload_to_another_bucket_reaches_the_bus_but_never_start_pipeline(stack, good_run, witness, penguins_csv):
    before = _runs(stack)
    s3 = stack.s3
    s3.create_bucket(Bucket=OTHER_BUCKET)
    s3.put_bucket_notification_configuration(Bucket=OTHER_BUCKET,
                                             NotificationConfiguration={"EventBridgeConfiguration": {}})
    s3.put_object(Bucket=OTHER_BUCKET, Key=KEY, Body=penguins_csv)

    def other(event):
        return event.get("detail", {}).get("bucket", {}).get("name") == OTHER_BUCKET

    deadline = time.monotonic() + 30
    while not _deliveries_to(stack, witness, other):
        assert time.monotonic() < deadline, "S3 never sent the other bucket's event"
        time.sleep(0.2)
    assert _deliveries_to(stack, "UploadTriggerRule", other) == []
    assert _runs(stack) == before


def test_a_forged_s3_event_is_refused_by_eventbridge(stack, good_run):
    before = _runs(stack)
    answer = stack.cloud.client("events").put_events(Entries=[{
        "Source": "aws.s3", "DetailType": "Object Created",
        "Detail": json.dumps(_s3_event(bucket=stack.data_bucket)["detail"])}])
    assert answer["FailedEntryCount"] == 1
    assert answer["Entries"][0]["ErrorCode"] == "NotAuthorizedForSourceException"
    assert _runs(stack) == before


def test_a_lookalike_with_a_custom_source_matches_no_rule_of_the_stack(stack, good_run):
    before = _runs(stack)
    detail = _s3_event(bucket=stack.data_bucket, key="datasets/penguins/lookalike.csv")["detail"]
    answer = stack.cloud.client("events").put_events(Entries=[{
        "Source": "my.s3", "DetailType": "Object Created", "Detail": json.dumps(detail)}])
    assert answer["FailedEntryCount"] == 0  # accepted by the bus, wanted by nobody

    def lookalike(event):
        return event.get("source") == "my.s3"

    for rule in ("UploadTriggerRule", "RetrainingTriggerRule"):
        assert _deliveries_to(stack, rule, lookalike) == []
    assert _runs(stack) == before


@pytest.mark.parametrize(("name", "words"), [
    ("another account", "the event comes from account '999999999999', not this stack's account 123456789012"),
    ("another bucket", f"the event is for bucket '{OTHER_BUCKET}', not this stack's data bucket"),
    ("not from S3", "not an S3 'Object Created' event (source 'my.app'"),
    ("outside datasets", "is outside datasets/"),
    ("a delete", "detail-type 'Object Deleted'"),
])
def test_start_pipeline_invoked_directly_with_a_foreign_event_ignores_it_saying_why(stack, good_run, name, words):
    events = {
        "another account": _s3_event(bucket=stack.data_bucket, account="999999999999"),
        "another bucket": _s3_event(bucket=OTHER_BUCKET),
        "not from S3": _s3_event(bucket=stack.data_bucket, source="my.app"),
        "outside datasets": _s3_event(bucket=stack.data_bucket, key="contracts/penguins/constraints.json"),
        "a delete": _s3_event(bucket=stack.data_bucket, **{"detail-type": "Object Deleted"}),
    }
    before = _runs(stack)
    answer = invoke_start_pipeline(stack, events[name])
    assert answer["status"] == "ignored" and words in answer["reason"], answer
    assert answer["execution_arn"] is None and _runs(stack) == before


def test_a_retraining_request_for_a_model_that_does_not_exist_is_ignored_saying_why(stack, good_run):
    before = _runs(stack)
    answer = stack.cloud.client("events").put_events(Entries=[{
        "Source": "mlops.retraining", "DetailType": "Retraining Requested",
        "Detail": json.dumps({"model": "no-such-model", "episode": "forged-1", "reason": "drift"})}])
    assert answer["FailedEntryCount"] == 0

    def forged(event):
        return event.get("detail", {}).get("episode") == "forged-1"

    [delivery] = _deliveries_to(stack, "RetrainingTriggerRule", forged)
    result = json.loads(delivery.detail)
    assert result["status"] == "ignored" and "no-such-model" in result["reason"]
    assert _runs(stack) == before


def test_a_malformed_retraining_request_ends_in_the_dead_letter_queue_with_the_error(stack, good_run):
    before = _runs(stack)
    stack.cloud.client("events").put_events(Entries=[{
        "Source": "mlops.retraining", "DetailType": "Retraining Requested",
        "Detail": json.dumps({"model": "penguins", "episode": ""})}])

    def malformed(event):
        return event.get("detail") == {"model": "penguins", "episode": ""}

    [delivery] = _deliveries_to(stack, "RetrainingTriggerRule", malformed)
    assert delivery.outcome == "failed" and "detail.episode" in delivery.detail
    sqs = stack.cloud.client("sqs")
    queue = physical_id(stack, "AWS::SQS::Queue", "UploadTriggerDeadLetters")  # the queue's URL
    bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                                     WaitTimeSeconds=2).get("Messages", [])]
    assert any(json.loads(body).get("detail") == {"model": "penguins", "episode": ""} for body in bodies)
    assert _runs(stack) == before
