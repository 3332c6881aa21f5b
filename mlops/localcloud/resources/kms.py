"""AWS::KMS::Key and AWS::KMS::Alias."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, drop_none, handler, json_text, tag_list


def create_key(ctx: Context, logical_id: str, props: dict) -> Created:
    kms = ctx.client("kms")
    request = drop_none(
        Policy=json_text(props["KeyPolicy"]) if "KeyPolicy" in props else None,
        Description=props.get("Description"),
        KeyUsage=props.get("KeyUsage"),
        KeySpec=props.get("KeySpec"),
        MultiRegion=props.get("MultiRegion"),
        Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in tag_list(props["Tags"])] if props.get("Tags") else None,
    )
    key = kms.create_key(**request)["KeyMetadata"]
    key_id = key["KeyId"]
    if props.get("EnableKeyRotation") in (True, "true"):
        kms.enable_key_rotation(KeyId=key_id)
    if props.get("Enabled") in (False, "false"):
        kms.disable_key(KeyId=key_id)
    return Created(key_id, {"Arn": key["Arn"], "KeyId": key_id})


def create_alias(ctx: Context, logical_id: str, props: dict) -> Created:
    target = props["TargetKeyId"]
    if target.startswith("arn:"):
        target = target.rsplit("/", 1)[-1]
    ctx.client("kms").create_alias(AliasName=props["AliasName"], TargetKeyId=target)
    return Created(props["AliasName"])


HANDLERS = {
    "AWS::KMS::Key": handler(
        create_key, attributes=("Arn", "KeyId"),
        properties=("KeyPolicy", "Description", "KeyUsage", "KeySpec", "MultiRegion", "Tags",
                    "EnableKeyRotation", "Enabled", "PendingWindowInDays", "RotationPeriodInDays",
                    "BypassPolicyLockoutSafetyCheck", "Origin"),
    ),
    "AWS::KMS::Alias": handler(create_alias, properties=("AliasName", "TargetKeyId")),
}
