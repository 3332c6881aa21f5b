"""The endpoint requests checked as SageMaker checks them, with SageMaker's messages where AWS
has them (`Could not find endpoint "<arn>".`, `Cannot update in-progress endpoint "<arn>".`)
and plain words naming the problem otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, FakeEndpointConfig

from mlops.localcloud.serving.control.alarms import AlarmWatch
from mlops.localcloud.serving.control.fleets import ConfigDeployment, build_deployment, check_runnable
from mlops.localcloud.serving.control.plan import DeploymentPlan, check_deployment_config, plan_deployment
from mlops.localcloud.serving.control.state import IN_PROGRESS, EndpointState

VARIANT_PROPERTIES = ("DesiredInstanceCount", "DesiredWeight", "DataCaptureConfig")


@dataclass
class UpdatePlan:
    green: ConfigDeployment
    plan: DeploymentPlan
    deployment_config: dict | None


def endpoint_not_found(backend, name: str) -> ValidationError:
    arn = FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)
    return ValidationError(f'Could not find endpoint "{arn}".')


def config_not_found(backend, name: str) -> ValidationError:
    arn = FakeEndpointConfig.arn_formatter(name, backend.account_id, backend.region_name)
    return ValidationError(f'Could not find endpoint configuration "{arn}".')


def check_can_change(state: EndpointState) -> None:
    """Only an InService endpoint takes an update (AWS's word for the others: in-progress)."""
    if state.status in IN_PROGRESS:
        raise ValidationError(f'Cannot update in-progress endpoint "{state.arn}".')
    if state.status != "InService":
        raise ValidationError(f'Cannot update endpoint "{state.arn}": its status is {state.status}. '
                              "Delete it and create it again.")


def check_create(backend, name: str, config_name: str, deployment_config: dict | None) -> None:
    if name in backend.endpoints:
        arn = FakeEndpoint.arn_formatter(name, backend.account_id, backend.region_name)
        raise ValidationError(f'Cannot create already existing endpoint "{arn}".')
    if config_name not in backend.endpoint_configs:
        raise config_not_found(backend, config_name)
    check_runnable(backend.describe_endpoint_config(config_name))
    check_deployment_config(deployment_config)


def plan_update(backend, state: EndpointState, *, config_name: str, deployment_config: dict | None,
                retain_all: bool, exclude: list[dict] | None, retain_deployment_config: bool) -> UpdatePlan:
    check_can_change(state)
    if config_name not in backend.endpoint_configs:
        raise config_not_found(backend, config_name)
    if deployment_config is None and retain_deployment_config:
        deployment_config = state.last_deployment_config
    check_deployment_config(deployment_config)
    excluded = _excluded(exclude)
    green = build_deployment(backend, endpoint_name=state.name,
                             config=backend.describe_endpoint_config(config_name),
                             retained=state.active if retain_all else None, exclude=excluded)
    if (deployment_config or {}).get("BlueGreenUpdatePolicy"):
        _check_same_variants(state.active, green)
    plan = plan_deployment(deployment_config,
                           instance_counts={v.name: v.spec.instance_count for v in green.production})
    missing = AlarmWatch(state.account, state.region).missing(plan.alarms)
    if missing:
        raise ValidationError(f"The alarm(s) {', '.join(missing)} named in DeploymentConfig."
                              "AutoRollbackConfiguration do not exist in CloudWatch; create them first or remove "
                              "them from the request.")
    return UpdatePlan(green=green, plan=plan, deployment_config=deployment_config)


def check_weights_and_capacities(state: EndpointState, desired: list[dict]) -> tuple[dict, dict]:
    """UpdateEndpointWeightsAndCapacities: ({variant: weight}, {variant: instance count}) that change."""
    check_can_change(state)
    weights, counts, seen = {}, {}, set()
    for entry in desired or []:
        name = entry.get("VariantName")
        if name in seen:
            raise ValidationError(f'The variant name "{name}" was non-unique within the request.')
        seen.add(name)
        variant = state.active.variant(name)
        if variant is None:
            raise ValidationError(f'The variant name(s) "{name}" is/are not present within endpoint '
                                  f'configuration "{state.active.config_name}".')
        if entry.get("DesiredWeight") is not None:
            weights[name] = float(entry["DesiredWeight"])
        count = entry.get("DesiredInstanceCount")
        if count is not None and int(count) != variant.spec.instance_count:
            counts[name] = int(count)
    return weights, counts


def _excluded(exclude: list[dict] | None) -> frozenset[str]:
    names = [e.get("VariantPropertyType") for e in exclude or []]
    for name in names:
        if name not in VARIANT_PROPERTIES:
            raise ValidationError(f"Value '{name}' at 'excludeRetainedVariantProperties.member.variantPropertyType' "
                                  f"failed to satisfy constraint: Member must satisfy enum value set: "
                                  f"[{', '.join(VARIANT_PROPERTIES)}]")
    return frozenset(names)


def _check_same_variants(blue: ConfigDeployment, green: ConfigDeployment) -> None:
    """AWS ("Exclusions"): a blue/green deployment with guardrails keeps the variant names."""
    old, new = sorted(v.name for v in blue.production), sorted(v.name for v in green.production)
    if old != new:
        raise ValidationError(f"A deployment with BlueGreenUpdatePolicy needs the same production variant names "
                              f"in the new endpoint configuration '{green.config_name}' as in the current one "
                              f"'{blue.config_name}': current {old}, new {new}.")
