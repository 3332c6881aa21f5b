"""AWS::Logs::LogGroup."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, handler, tag_dict


def create_log_group(ctx: Context, logical_id: str, props: dict) -> Created:
    logs = ctx.client("logs")
    name = props.get("LogGroupName") or ctx.name(logical_id, max_length=512)
    request = {"logGroupName": name}
    if props.get("KmsKeyId"):
        request["kmsKeyId"] = props["KmsKeyId"]
    if props.get("Tags"):
        request["tags"] = tag_dict(props["Tags"])
    logs.create_log_group(**request)
    if props.get("RetentionInDays"):
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(props["RetentionInDays"]))
    return Created(name, {"Arn": log_group_arn(ctx, name)})


def log_group_arn(ctx: Context, name: str) -> str:
    return ctx.arn("logs", f"log-group:{name}:*")


HANDLERS = {
    "AWS::Logs::LogGroup": handler(
        create_log_group, attributes=("Arn",),
        properties=("LogGroupName", "KmsKeyId", "Tags", "RetentionInDays", "LogGroupClass",
                    "DataProtectionPolicy", "FieldIndexPolicies"),
    ),
}
