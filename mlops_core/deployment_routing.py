"""What StartDeployment does with one approval event: ignore it (saying why) or start the
deployment of the approved package.

The decision is pure; the lookup of the model a package group belongs to is passed in as a
function, so it is only made for events that could start something, and tests need no AWS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mlops_core.approval_event import APPROVED, ApprovalEvent
from mlops_core.deployment_input import build_deployment_input
from mlops_core.upload_routing import IGNORE, START

# (model name, its settings document) of the model whose package group is the given one.
FindModel = Callable[[str], "tuple[str, Mapping[str, Any]] | None"]


@dataclass(frozen=True)
class DeploymentPlan:
    action: str  # IGNORE or START
    model: str | None
    reason: str
    execution_input: dict[str, Any] | None = None

    @property
    def execution_name(self) -> str | None:
        return (self.execution_input or {}).get("deployment_id")


def plan_deployment(approval: ApprovalEvent, *, account: str, region: str, find_model: FindModel,
                    poll_seconds: int) -> DeploymentPlan:
    """START the deployment of an Approved package of a configured model with serving on; else IGNORE."""
    package = f"model package {approval.package_arn}"
    if (approval.account, approval.region) != (account, region):
        return DeploymentPlan(IGNORE, None, (
            f"the event is from account {approval.account} in {approval.region}; this stack deploys "
            f"only packages of account {account} in {region}"))
    if approval.status != APPROVED:
        return DeploymentPlan(IGNORE, None, f"{package} is {approval.status}, not {APPROVED}: nothing to deploy")
    found = find_model(approval.group)
    if found is None:
        return DeploymentPlan(IGNORE, None, (
            f"package group {approval.group} belongs to no model configured in this stack"))
    model, settings = found
    serving = settings.get("serving")
    if isinstance(serving, Mapping) and serving.get("enabled") is False:
        return DeploymentPlan(IGNORE, model, f"serving is disabled for model '{model}' (serving.enabled: false)")
    execution_input = build_deployment_input(model=model, settings=settings, approval=approval,
                                             poll_seconds=poll_seconds)
    return DeploymentPlan(START, model, f"deploying version {approval.version} of '{model}' "
                                        f"to endpoint {execution_input['names']['endpoint']}", execution_input)


def model_of_group(group: str, documents: Mapping[str, Mapping[str, Any]]) -> tuple[str, Mapping[str, Any]] | None:
    """The (model, settings) whose `model_package_group` is `group`. SageMaker treats names
    case-insensitively (its ARNs are lower case), so the match is too."""
    for model, settings in documents.items():
        configured = settings.get("model_package_group")
        if isinstance(configured, str) and configured.lower() == group.lower():
            return str(settings.get("model") or model), settings
    return None
