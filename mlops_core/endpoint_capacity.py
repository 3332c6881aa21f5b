"""Is there endpoint instance quota for a blue/green update? (CheckCapacity, pure part.)

A blue/green update runs the new fleet next to the old one until traffic has shifted, so it
needs the new fleet's instances on top of everything the account already runs. With a shadow
test there are two updates: to the shadow config (a copy of production plus the candidate),
then to the new config (next to the shadow config). Each step must fit its instance types'
quotas, `<instance type> for endpoint usage` in Service Quotas (service code `sagemaker`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SERVICE_CODE = "sagemaker"


def quota_name(instance_type: str) -> str:
    return f"{instance_type} for endpoint usage"


@dataclass(frozen=True)
class Fleet:
    """Instances of one variant of one endpoint (a production or shadow variant, or the
    pending fleet of an update in progress)."""

    endpoint: str
    variant: str
    instance_type: str
    count: int


@dataclass(frozen=True)
class CapacityVerdict:
    sufficient: bool
    cause: str | None
    checks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sufficient": self.sufficient, "cause": self.cause, "checks": self.checks, "warnings": self.warnings}


def update_steps(*, endpoint: str, instance_type: str, instance_count: int, shadow: bool,
                 fleets: Iterable[Fleet]) -> list[Counter]:
    """Instances each update step adds to what runs now, by instance type."""
    new_fleet = Counter({instance_type: instance_count})
    if not shadow:
        return [new_fleet]
    production = Counter()
    for fleet in fleets:
        if fleet.endpoint == endpoint:
            production[fleet.instance_type] += fleet.count
    # Step 1 copies production and adds the candidate; after it the old fleet is gone, so
    # step 2 (the new config next to the shadow config) adds the candidate's instances twice.
    return [production + new_fleet, new_fleet + new_fleet]


def judge(*, endpoint: str, steps: list[Counter], fleets: Iterable[Fleet],
          quotas: Mapping[str, tuple[float, str] | None]) -> CapacityVerdict:
    """`quotas`: instance type -> (value, "applied"|"default"), or None when no quota was found
    (a warning: the update is tried and SageMaker decides)."""
    in_use = Counter()
    for fleet in fleets:
        in_use[fleet.instance_type] += fleet.count
    checks, warnings, short = [], [], []
    for instance_type in sorted({t for step in steps for t in step}):
        needed = max(step[instance_type] for step in steps)
        found = quotas.get(instance_type)
        if found is None:
            warnings.append(f"no Service Quotas entry '{quota_name(instance_type)}' was found; "
                            "the update goes ahead unchecked")
            continue
        value, origin = found
        check = {"quota_name": quota_name(instance_type), "quota": value, "origin": origin,
                 "in_use": in_use[instance_type], "needed": needed}
        checks.append(check)
        if in_use[instance_type] + needed > value:
            short.append(check)
    if not short:
        return CapacityVerdict(True, None, checks, warnings)
    parts = [f"quota '{c['quota_name']}' is {_number(c['quota'])} ({c['origin']}), {c['in_use']} in use, "
             f"{c['needed']} more needed" for c in short]
    cause = (f"Not enough SageMaker endpoint instance quota to update endpoint {endpoint}: {'; '.join(parts)}. "
             "A blue/green update runs the new fleet next to the old one until traffic has shifted. Request "
             "an increase in Service Quotas (service 'Amazon SageMaker'), or lower serving.instance_count "
             "or choose another serving.instance_type.")
    return CapacityVerdict(False, cause, checks, warnings)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
