"""AWS::SNS::Topic (with inline subscriptions), AWS::SNS::Subscription, AWS::SNS::TopicPolicy."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, as_str, handler, json_text, tag_list

_TOPIC_ATTRIBUTES = ("DisplayName", "KmsMasterKeyId", "FifoTopic", "ContentBasedDeduplication",
                     "SignatureVersion", "TracingConfig", "ArchivePolicy", "FifoThroughputScope")
_SUBSCRIPTION_JSON = ("FilterPolicy", "RedrivePolicy", "DeliveryPolicy", "ReplayPolicy")
_SUBSCRIPTION_PLAIN = ("FilterPolicyScope", "RawMessageDelivery", "SubscriptionRoleArn")


def create_topic(ctx: Context, logical_id: str, props: dict) -> Created:
    sns = ctx.client("sns")
    fifo = props.get("FifoTopic") in (True, "true")
    name = props.get("TopicName") or ctx.name(logical_id, max_length=256, extension=".fifo" if fifo else "")
    attributes = {key: json_text(props[key]) if isinstance(props[key], dict) else as_str(props[key])
                  for key in _TOPIC_ATTRIBUTES if key in props}
    request = {"Name": name, "Attributes": attributes}
    if props.get("Tags"):
        request["Tags"] = tag_list(props["Tags"])
    arn = sns.create_topic(**request)["TopicArn"]
    for subscription in props.get("Subscription", []):
        sns.subscribe(TopicArn=arn, Protocol=subscription["Protocol"], Endpoint=subscription["Endpoint"])
    return Created(arn, {"TopicArn": arn, "TopicName": name})


def create_subscription(ctx: Context, logical_id: str, props: dict) -> Created:
    attributes = {key: json_text(props[key]) for key in _SUBSCRIPTION_JSON if key in props}
    attributes.update({key: as_str(props[key]) for key in _SUBSCRIPTION_PLAIN if key in props})
    arn = ctx.client("sns").subscribe(
        TopicArn=props["TopicArn"], Protocol=props["Protocol"], Endpoint=props.get("Endpoint", ""),
        Attributes=attributes, ReturnSubscriptionArn=True,
    )["SubscriptionArn"]
    return Created(arn, {"Arn": arn})


def create_topic_policy(ctx: Context, logical_id: str, props: dict) -> Created:
    sns = ctx.client("sns")
    for topic in props["Topics"]:
        sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json_text(props["PolicyDocument"]))
    return Created(ctx.name(logical_id, max_length=128))


HANDLERS = {
    "AWS::SNS::Topic": handler(
        create_topic, attributes=("TopicArn", "TopicName"),
        properties=("TopicName", "Tags", "Subscription", *_TOPIC_ATTRIBUTES),
    ),
    "AWS::SNS::Subscription": handler(
        create_subscription, attributes=("Arn",),
        properties=("TopicArn", "Protocol", "Endpoint", "Region", *_SUBSCRIPTION_JSON, *_SUBSCRIPTION_PLAIN),
    ),
    "AWS::SNS::TopicPolicy": handler(create_topic_policy, properties=("Topics", "PolicyDocument")),
}
