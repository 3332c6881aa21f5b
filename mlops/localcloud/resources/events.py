"""AWS::Events::Rule (with its targets, as given: InputTransformer, RetryPolicy,
DeadLetterConfig, RoleArn ...) and AWS::Events::EventBus."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, drop_none, handler, json_text, tag_list


def create_rule(ctx: Context, logical_id: str, props: dict) -> Created:
    events = ctx.client("events")
    name = props.get("Name") or ctx.name(logical_id, max_length=64)
    bus = props.get("EventBusName", "default")
    bus_name = bus.rsplit("/", 1)[-1] if bus.startswith("arn:") else bus
    arn = events.put_rule(
        Name=name, EventBusName=bus,
        **drop_none(
            EventPattern=json_text(props["EventPattern"]) if "EventPattern" in props else None,
            ScheduleExpression=props.get("ScheduleExpression"), State=props.get("State"),
            Description=props.get("Description"), RoleArn=props.get("RoleArn"),
            Tags=tag_list(props["Tags"]) if props.get("Tags") else None,
        ),
    )["RuleArn"]
    targets = props.get("Targets", [])
    if targets:
        answer = events.put_targets(Rule=name, EventBusName=bus, Targets=targets)
        if answer.get("FailedEntryCount"):
            raise RuntimeError(f"put_targets failed: {answer['FailedEntries']}")
    physical_id = name if bus_name == "default" else f"{bus_name}|{name}"
    return Created(physical_id, {"Arn": arn})


def create_event_bus(ctx: Context, logical_id: str, props: dict) -> Created:
    events = ctx.client("events")
    name = props["Name"]
    arn = events.create_event_bus(
        Name=name, **drop_none(EventSourceName=props.get("EventSourceName"),
                               Tags=tag_list(props["Tags"]) if props.get("Tags") else None),
    )["EventBusArn"]
    if props.get("Policy"):
        events.put_permission(EventBusName=name, Policy=json_text(props["Policy"]))
    return Created(name, {"Arn": arn, "Name": name, "Policy": json_text(props.get("Policy") or {})})


HANDLERS = {
    "AWS::Events::Rule": handler(
        create_rule, attributes=("Arn",),
        properties=("Name", "EventBusName", "EventPattern", "ScheduleExpression", "State", "Description",
                    "RoleArn", "Tags", "Targets"),
    ),
    "AWS::Events::EventBus": handler(
        create_event_bus, attributes=("Arn", "Name", "Policy"),
        properties=("Name", "EventSourceName", "Tags", "Policy"),
    ),
}
