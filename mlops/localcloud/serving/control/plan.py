"""A DeploymentConfig checked as SageMaker checks it, turned into the traffic steps to run.

Blue/green semantics (AWS "Deployment guardrails"; TrafficRoutingConfig in the API reference):
- CANARY: the canary share of traffic on the new (green) fleet, bake WaitIntervalInSeconds,
  then all traffic;
- LINEAR: LinearStepSize more of the traffic per step, bake WaitIntervalInSeconds after each
  step short of all traffic;
- ALL_AT_ONCE (also: no DeploymentConfig, or no BlueGreenUpdatePolicy): all traffic at once.
  WaitIntervalInSeconds is the wait *between* incremental steps, so it has nothing to wait for.
After the last step, TerminationWaitInSeconds (the final baking period) runs with all traffic on
green before the old fleet is terminated. The alarms are watched during every bake.

A share is of the green fleet's capacity: CAPACITY_PERCENT p -> p% of the traffic;
INSTANCE_COUNT k of a variant with n instances -> k/n (the smallest production variant of the
new config counts, as AWS checks sizes against "the variant's total instance count").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from moto.sagemaker.exceptions import ValidationError

POLICY = "deploymentConfig.blueGreenUpdatePolicy"
ROUTING = f"{POLICY}.trafficRoutingConfiguration"
ALL_AT_ONCE = "ALL_AT_ONCE"
MAX_ALARMS = 10


@dataclass(frozen=True)
class TrafficShift:
    fraction: float     # share of the endpoint's traffic on the green fleet after this step
    bake_seconds: int   # WaitIntervalInSeconds after an intermediate step, 0 after the last
    reason: str         # history: "canary", "linear step 2 of 4", "all traffic"
    instances: int      # green instances carrying traffic (for VariantStatus messages)
    capacity: str       # "canary" | "linear" | "full" (VariantStatus wording)


@dataclass(frozen=True)
class DeploymentPlan:
    routing_type: str
    shifts: tuple[TrafficShift, ...]
    termination_wait: int
    timeout: int | None   # MaximumExecutionTimeoutInSeconds; None: unbounded
    alarms: tuple[str, ...]

    @property
    def total_wait(self) -> int:
        return sum(shift.bake_seconds for shift in self.shifts) + self.termination_wait


def check_deployment_config(config: dict | None) -> None:
    """The checks that need no endpoint config (CreateEndpoint stores DeploymentConfig for later)."""
    if not config:
        return
    if config.get("RollingUpdatePolicy"):
        raise ValidationError("RollingUpdatePolicy is not supported by the embedded cloud; use "
                              "BlueGreenUpdatePolicy (CANARY, LINEAR or ALL_AT_ONCE)")
    policy = config.get("BlueGreenUpdatePolicy") or {}
    routing = policy.get("TrafficRoutingConfiguration") or {}
    if policy and not routing:
        raise ValidationError(f"{ROUTING} is required in a BlueGreenUpdatePolicy")
    kind = routing.get("Type", ALL_AT_ONCE)
    if kind not in ("ALL_AT_ONCE", "CANARY", "LINEAR"):
        raise ValidationError(f"Value '{kind}' at '{ROUTING}.type' failed to satisfy constraint: Member must "
                              "satisfy enum value set: [ALL_AT_ONCE, CANARY, LINEAR]")
    _in_range(routing.get("WaitIntervalInSeconds", 0), f"{ROUTING}.waitIntervalInSeconds", 0, 3600)
    _in_range(policy.get("TerminationWaitInSeconds", 0), f"{POLICY}.terminationWaitInSeconds", 0, 3600)
    if policy.get("MaximumExecutionTimeoutInSeconds") is not None:
        _in_range(policy["MaximumExecutionTimeoutInSeconds"], f"{POLICY}.maximumExecutionTimeoutInSeconds",
                  600, 28800)
    for field, wanted in (("CanarySize", "CANARY"), ("LinearStepSize", "LINEAR")):
        if routing.get(field) and kind != wanted:
            raise ValidationError(f"{field} is only valid when TrafficRoutingConfiguration Type is {wanted}, "
                                  f"not {kind}")
        if kind == wanted and not routing.get(field):
            raise ValidationError(f"{field} is required when TrafficRoutingConfiguration Type is {wanted}")
        if routing.get(field):
            _check_size(routing[field], field)
    alarms = [a.get("AlarmName") for a in (config.get("AutoRollbackConfiguration") or {}).get("Alarms") or []]
    if len(alarms) > MAX_ALARMS:
        raise ValidationError(f"AutoRollbackConfiguration.Alarms has {len(alarms)} alarms; at most {MAX_ALARMS} "
                              "are allowed")
    if any(not name for name in alarms):
        raise ValidationError("Every alarm in AutoRollbackConfiguration.Alarms needs an AlarmName")


def plan_deployment(config: dict | None, *, instance_counts: dict[str, int]) -> DeploymentPlan:
    """The traffic steps of an update to a config whose production variants have `instance_counts`."""
    check_deployment_config(config)
    config = config or {}
    policy = config.get("BlueGreenUpdatePolicy") or {}
    routing = policy.get("TrafficRoutingConfiguration") or {}
    kind = routing.get("Type", ALL_AT_ONCE)
    wait = int(routing.get("WaitIntervalInSeconds", 0))
    variant, count = min(instance_counts.items(), key=lambda item: item[1])
    if kind == "CANARY":
        share = _share(routing["CanarySize"], "CanarySize", variant, count, low=0.0)
        shifts = (TrafficShift(share, wait, "canary", _instances(share, count), "canary"),)
    elif kind == "LINEAR":
        share = _share(routing["LinearStepSize"], "LinearStepSize", variant, count, low=0.1)
        steps = math.ceil(1 / share - 1e-9)
        shifts = tuple(TrafficShift(share * i, wait, f"linear step {i} of {steps}",
                                    _instances(share * i, count), "linear") for i in range(1, steps))
    else:
        shifts, steps = (), 1
    last = f"linear step {steps} of {steps}: all traffic" if kind == "LINEAR" else "all traffic"
    plan = DeploymentPlan(
        routing_type=kind,
        shifts=shifts + (TrafficShift(1.0, 0, last, count, "full"),),
        termination_wait=int(policy.get("TerminationWaitInSeconds", 0)),
        timeout=policy.get("MaximumExecutionTimeoutInSeconds"),
        alarms=tuple(a["AlarmName"] for a in (config.get("AutoRollbackConfiguration") or {}).get("Alarms") or []),
    )
    if plan.timeout is not None and plan.timeout <= plan.total_wait:
        raise ValidationError(f"MaximumExecutionTimeoutInSeconds ({plan.timeout}) must be larger than the total "
                              f"waiting time of the deployment ({plan.total_wait} seconds of "
                              "WaitIntervalInSeconds and TerminationWaitInSeconds)")
    return plan


def _share(size: dict, field: str, variant: str, count: int, *, low: float) -> float:
    """The share of traffic a CapacitySize stands for, within AWS's documented limits."""
    value = int(size["Value"])
    share = value / 100 if size["Type"] == "CAPACITY_PERCENT" else value / count
    limit = "at most 50%" if low == 0 else "between 10% and 50%"
    if not low - 1e-9 <= share <= 0.5 + 1e-9:
        what = (f"{value}%" if size["Type"] == "CAPACITY_PERCENT"
                else f"{value} instance(s) of the {count} of variant '{variant}'")
        raise ValidationError(f"{field} must be {limit} of the new fleet's capacity; {what} is not")
    return share


def _instances(share: float, count: int) -> int:
    return max(1, min(count, math.ceil(share * count - 1e-9)))


def _check_size(size: dict, field: str) -> None:
    if size.get("Type") not in ("INSTANCE_COUNT", "CAPACITY_PERCENT"):
        raise ValidationError(f"Value '{size.get('Type')}' at '{ROUTING}.{field[0].lower()}{field[1:]}.type' failed "
                              "to satisfy constraint: Member must satisfy enum value set: "
                              "[INSTANCE_COUNT, CAPACITY_PERCENT]")
    if not isinstance(size.get("Value"), int) or size["Value"] < 1:
        raise ValidationError(f"{field}.Value must be an integer of at least 1, got {size.get('Value')!r}")


def _in_range(value, where: str, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must be an integer")
    if value < low:
        raise ValidationError(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must have value "
                              f"greater than or equal to {low}")
    if value > high:
        raise ValidationError(f"Value '{value}' at '{where}' failed to satisfy constraint: Member must have value "
                              f"less than or equal to {high}")
