"""AWS::StepFunctions::StateMachine.

The definition comes from DefinitionString, Definition (an object) or DefinitionS3Location,
with DefinitionSubstitutions applied as CloudFormation applies them (`${key}` replaced).
"""

from __future__ import annotations

import json
from typing import Any

from mlops.localcloud.resources.base import Context, Created, as_str, handler


def definition_text(ctx: Context, props: dict) -> str:
    if "DefinitionString" in props:
        text = props["DefinitionString"]
    elif "Definition" in props:
        text = json.dumps(props["Definition"])
    elif "DefinitionS3Location" in props:
        location = props["DefinitionS3Location"]
        request = {"Bucket": location["Bucket"], "Key": location["Key"]}
        if location.get("Version"):
            request["VersionId"] = location["Version"]
        text = ctx.client("s3").get_object(**request)["Body"].read().decode()
    else:
        raise ValueError("no DefinitionString, Definition or DefinitionS3Location")
    for key, value in (props.get("DefinitionSubstitutions") or {}).items():
        text = text.replace("${" + key + "}", as_str(value))
    return text


def _camel(value: Any) -> Any:
    """CloudFormation's PascalCase configuration in the Step Functions API's camelCase."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def create_state_machine(ctx: Context, logical_id: str, props: dict) -> Created:
    name = props.get("StateMachineName") or ctx.name(logical_id, max_length=80, stack_prefix=False)
    definition = definition_text(ctx, props)
    request: dict[str, Any] = {
        "name": name, "definition": definition, "roleArn": props["RoleArn"],
        "type": props.get("StateMachineType", "STANDARD"),
    }
    for key in ("LoggingConfiguration", "TracingConfiguration", "EncryptionConfiguration"):
        if key in props:
            request[key[:1].lower() + key[1:]] = _camel(props[key])
    if props.get("Tags"):
        request["tags"] = [{"key": t["Key"], "value": t["Value"]} for t in props["Tags"]]
    arn = ctx.client("stepfunctions").create_state_machine(**request)["stateMachineArn"]
    return Created(arn, {"Arn": arn, "Name": name}, details={"definition": definition})


HANDLERS = {
    "AWS::StepFunctions::StateMachine": handler(
        create_state_machine, attributes=("Arn", "Name"),
        properties=("StateMachineName", "DefinitionString", "Definition", "DefinitionS3Location",
                    "DefinitionSubstitutions", "RoleArn", "StateMachineType", "LoggingConfiguration",
                    "TracingConfiguration", "EncryptionConfiguration", "Tags"),
    ),
}
