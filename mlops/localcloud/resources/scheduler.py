"""AWS::Scheduler::Schedule and AWS::Scheduler::ScheduleGroup (EventBridge Scheduler), created
through the embedded cloud's Scheduler API, which checks expressions as the service does."""

from __future__ import annotations

from mlops.localcloud.resources.base import (
    Context,
    Created,
    drop_none,
    handler,
    tag_list,
)


def create_schedule(ctx: Context, logical_id: str, props: dict) -> Created:
    scheduler = ctx.client("scheduler")
    name = props.get("Name") or ctx.name(logical_id, max_length=64)
    arn = scheduler.create_schedule(
        Name=name, ScheduleExpression=props["ScheduleExpression"], FlexibleTimeWindow=props["FlexibleTimeWindow"],
        Target=props["Target"],
        **drop_none(GroupName=props.get("GroupName"), Description=props.get("Description"),
                    ScheduleExpressionTimezone=props.get("ScheduleExpressionTimezone"), State=props.get("State"),
                    StartDate=props.get("StartDate"), EndDate=props.get("EndDate"), KmsKeyArn=props.get("KmsKeyArn")),
    )["ScheduleArn"]
    return Created(name, {"Arn": arn})


def create_schedule_group(ctx: Context, logical_id: str, props: dict) -> Created:
    scheduler = ctx.client("scheduler")
    name = props.get("Name") or ctx.name(logical_id, max_length=64)
    arn = scheduler.create_schedule_group(Name=name, **drop_none(
        Tags=tag_list(props["Tags"]) if props.get("Tags") else None))["ScheduleGroupArn"]
    group = scheduler.get_schedule_group(Name=name)
    return Created(name, {"Arn": arn, "State": group.get("State", "ACTIVE"),
                          "CreationDate": str(group.get("CreationDate", "")),
                          "LastModificationDate": str(group.get("LastModificationDate", ""))})


HANDLERS = {
    "AWS::Scheduler::Schedule": handler(
        create_schedule, attributes=("Arn",),
        properties=("Name", "GroupName", "Description", "ScheduleExpression", "ScheduleExpressionTimezone",
                    "FlexibleTimeWindow", "Target", "State", "StartDate", "EndDate", "KmsKeyArn"),
    ),
    "AWS::Scheduler::ScheduleGroup": handler(
        create_schedule_group, attributes=("Arn", "CreationDate", "LastModificationDate", "State"),
        properties=("Name", "Tags"),
    ),
}
