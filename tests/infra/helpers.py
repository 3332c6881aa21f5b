"""Reading rendered CloudFormation values back into Python."""

from __future__ import annotations

import json
from typing import Any

TOKEN = "<<TOKEN>>"


def join_parts(value: Any) -> list:
    """The parts of an `Fn::Join` with the empty delimiter (or the plain string)."""
    if isinstance(value, str):
        return [value]
    delimiter, parts = value["Fn::Join"]
    assert delimiter == ""
    return parts


def render(value: Any, token: str = TOKEN) -> str:
    """A string property with every intrinsic replaced by `token`."""
    return "".join(part if isinstance(part, str) else token for part in join_parts(value))


def tokens(value: Any) -> list:
    return [part for part in join_parts(value) if not isinstance(part, str)]


def definition(synthesized) -> dict:
    machine = next(iter(synthesized.resources("AWS::StepFunctions::StateMachine").values()))
    return json.loads(render(machine["Properties"]["DefinitionString"]))


def policy_statements(synthesized, role_prefix: str) -> list[dict]:
    statements = []
    for policy in synthesized.resources("AWS::IAM::Policy").values():
        roles = [role["Ref"] for role in policy["Properties"]["Roles"]]
        if any(role.startswith(role_prefix) for role in roles):
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]
