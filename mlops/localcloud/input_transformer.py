"""EventBridge target input: Input, InputPath and InputTransformer, with AWS's quoting.

AWS substitutes `<name>` placeholders of an InputTransformer template with values picked by
InputPathsMap. Inside a JSON string ("...<name>...") a string value goes in as its text;
elsewhere a value goes in as JSON. moto quotes these wrongly (DESIGN.md section 4).
"""

from __future__ import annotations

import json
import re

_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")


def json_path_get(document: object, path: str) -> object:
    """The value at a simple JSONPath (`$.a.b`, `$.a[0]`), or None when absent."""
    if path == "$":
        return document
    current = document
    for token in re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", path[1:]):
        name, index = token
        if name:
            if not isinstance(current, dict) or name not in current:
                return None
            current = current[name]
        else:
            if not isinstance(current, list) or int(index) >= len(current):
                return None
            current = current[int(index)]
    return current


def target_input(target: dict, event: dict, *, rule_name: str, rule_arn: str) -> str:
    """The text EventBridge sends to `target` for `event`."""
    if "Input" in target and target["Input"] is not None:
        return target["Input"]
    if target.get("InputPath"):
        return json.dumps(json_path_get(event, target["InputPath"]))
    transformer = target.get("InputTransformer")
    if not transformer:
        return json.dumps(event)
    values = {name: json_path_get(event, path) for name, path in (transformer.get("InputPathsMap") or {}).items()}
    values.update({
        "aws.events.rule-arn": rule_arn,
        "aws.events.rule-name": rule_name,
        "aws.events.event.ingestion-time": event.get("time"),
        "aws.events.event": event,
        "aws.events.event.json": event,
    })
    return _render(transformer["InputTemplate"], values)


def _render(template: str, values: dict) -> str:
    out: list[str] = []
    in_string = False
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        literal = template[position:match.start()]
        in_string = _string_state_after(literal, in_string)
        out.append(literal)
        name = match.group(1)
        if name not in values:
            out.append(match.group(0))
        else:
            value = values[name]
            if in_string and isinstance(value, str):
                out.append(json.dumps(value)[1:-1])
            elif in_string:
                out.append(json.dumps(json.dumps(value))[1:-1] if value is not None else "")
            else:
                out.append(json.dumps(value))
        position = match.end()
    out.append(template[position:])
    return "".join(out)


def _string_state_after(text: str, in_string: bool) -> bool:
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            in_string = not in_string
    return in_string
