"""AWS::SSM::Parameter (String and StringList)."""

from __future__ import annotations

from mlops.localcloud.resources.base import Context, Created, drop_none, handler, tag_list


def create_parameter(ctx: Context, logical_id: str, props: dict) -> Created:
    name = props.get("Name") or f"CFN-{ctx.name(logical_id, max_length=1000, stack_prefix=False)}"
    value = props["Value"]
    if isinstance(value, list):  # a StringList given as a list
        value = ",".join(value)
    kind = props.get("Type", "String")
    ctx.client("ssm").put_parameter(
        Name=name, Value=str(value), Type=kind,
        **drop_none(
            Description=props.get("Description"), AllowedPattern=props.get("AllowedPattern"),
            Tier=props.get("Tier"), DataType=props.get("DataType"), Policies=props.get("Policies"),
            Tags=tag_list(props["Tags"]) if props.get("Tags") else None,
        ),
    )
    return Created(name, {"Type": kind, "Value": str(value)})


HANDLERS = {
    "AWS::SSM::Parameter": handler(
        create_parameter, attributes=("Type", "Value"),
        properties=("Name", "Value", "Type", "Description", "AllowedPattern", "Tier", "DataType", "Policies", "Tags"),
    ),
}
