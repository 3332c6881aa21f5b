"""AWS::SQS::Queue and AWS::SQS::QueuePolicy."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, as_str, handler, json_text, tag_dict

_ATTRIBUTES = ("DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
               "VisibilityTimeout", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
               "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit")
_JSON_ATTRIBUTES = ("RedrivePolicy", "RedriveAllowPolicy")


def create_queue(ctx: Context, logical_id: str, props: dict) -> Created:
    sqs = ctx.client("sqs")
    fifo = props.get("FifoQueue") in (True, "true")
    name = props.get("QueueName") or ctx.name(logical_id, max_length=80, extension=".fifo" if fifo else "")
    attributes = {key: as_str(props[key]) for key in _ATTRIBUTES if key in props}
    attributes.update({key: json_text(props[key]) for key in _JSON_ATTRIBUTES if key in props})
    request = {"QueueName": name, "Attributes": attributes}
    if props.get("Tags"):
        request["tags"] = tag_dict(props["Tags"])
    url = sqs.create_queue(**request)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return Created(url, {"Arn": arn, "QueueName": name, "QueueUrl": url})


def create_queue_policy(ctx: Context, logical_id: str, props: dict) -> Created:
    sqs = ctx.client("sqs")
    for url in props["Queues"]:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json_text(props["PolicyDocument"])})
    return Created(ctx.name(logical_id, max_length=128))


HANDLERS = {
    "AWS::SQS::Queue": handler(
        create_queue, attributes=("Arn", "QueueName", "QueueUrl"),
        properties=("QueueName", "Tags", *_ATTRIBUTES, *_JSON_ATTRIBUTES),
    ),
    "AWS::SQS::QueuePolicy": handler(create_queue_policy, properties=("Queues", "PolicyDocument")),
}
