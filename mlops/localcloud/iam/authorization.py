"""What one API call needs IAM to allow: an action on a resource, in a request context."""

from __future__ import annotations

from dataclasses import dataclass, field


class Unmapped(Exception):
    """The checker cannot tell which action or resource an API call is authorized on."""


@dataclass(frozen=True)
class Authorization:
    action: str  # as AWS spells it, e.g. s3:GetObjectVersion
    resource: str  # an ARN, or "*" for actions that take no resource
    context: tuple[tuple[str, str | tuple[str, ...]], ...] = ()  # condition keys of the request
    # A service principal that makes this call for the caller (events.amazonaws.com delivering
    # to a target); None: the caller's own role.
    service_principal: str | None = None
    note: str = field(default="", compare=False)  # why the call needs it, for the report


def pairs(keys: dict) -> tuple[tuple[str, str | tuple[str, ...]], ...]:
    """Condition keys as a hashable, sorted tuple: None and empty values dropped, lists kept as
    tuples, booleans as IAM writes them."""
    out = []
    for key, value in keys.items():
        if value is None or value == [] or value == ():
            continue
        if isinstance(value, (list, tuple)):
            out.append((key, tuple(str(v) for v in value)))
        elif isinstance(value, bool):
            out.append((key, "true" if value else "false"))
        else:
            out.append((key, str(value)))
    return tuple(sorted(out))
