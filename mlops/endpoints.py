"""A model's endpoint as an operator sees it: what is deployed, how traffic is split, which
rollback alarms are firing, and the previous good deployment to return to.

Only SageMaker and CloudWatch APIs are used, so the same code serves AWS and the embedded
cloud. The deployment pipeline records each outcome on the model package
(`CustomerMetadataProperties`: DeploymentStatus, EndpointName, EndpointConfigName, ...); this
module reads those records back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from mlops.model_versions import ModelVersion, list_versions

DEPLOYED = "Deployed"
# The endpoint is between deployments: UpdateEndpoint is refused until it settles.
BUSY = ("Creating", "Updating", "RollingBack", "SystemUpdating", "UpdateRollbackFailed")


class NotDeployed(LookupError):
    """The model has no endpoint (yet); the message says how to get one."""


@dataclass(frozen=True)
class Variant:
    name: str
    weight: float | None
    desired_weight: float | None
    instances: int | None
    desired_instances: int | None
    status: str | None


@dataclass(frozen=True)
class EndpointState:
    name: str
    status: str
    endpoint_config: str
    variants: list[Variant]
    shadow_variants: list[Variant]
    version: ModelVersion | None          # the registry version the active config serves
    pending_config: str | None            # the config a blue/green update is moving to
    failure_reason: str | None
    capture: dict[str, Any] | None
    alarms: dict[str, str] = field(default_factory=dict)  # rollback alarm name -> state

    def to_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.name, "status": self.status, "endpoint_config": self.endpoint_config,
            "version": self.version.version if self.version else None,
            "model_package": self.version.arn if self.version else None,
            "variants": [v.__dict__ for v in self.variants],
            "shadow_variants": [v.__dict__ for v in self.shadow_variants],
            "pending_endpoint_config": self.pending_config, "failure_reason": self.failure_reason,
            "data_capture": self.capture, "alarms": self.alarms,
        }


def endpoint_name(settings: dict, model: str) -> str:
    serving = settings.get("serving") or {}
    if not serving.get("enabled", False):
        raise NotDeployed(f"serving is disabled for model '{model}' in the stack's config "
                          "(models[].serving.enabled); enable it and deploy the stack to get an endpoint")
    return serving["endpoint_name"]


def describe(sagemaker, cloudwatch, *, endpoint: str, model: str, group: str) -> EndpointState:
    try:
        described = sagemaker.describe_endpoint(EndpointName=endpoint)
    except ClientError as error:
        if _not_found(error):
            raise NotDeployed(f"nothing is deployed for '{model}' yet (no endpoint {endpoint}): approve a version "
                              f"(`mlops approve {model}`, or upload data with approval 'auto') and the "
                              "deployment pipeline creates it") from None
        raise
    config = described.get("EndpointConfigName", "")
    pending = (described.get("PendingDeploymentSummary") or {}).get("EndpointConfigName")
    return EndpointState(
        name=endpoint, status=described.get("EndpointStatus", "unknown"), endpoint_config=config,
        variants=[_variant(v) for v in described.get("ProductionVariants") or []],
        shadow_variants=[_variant(v) for v in described.get("ShadowProductionVariants") or []],
        version=served_version(sagemaker, config, group),
        pending_config=pending, failure_reason=described.get("FailureReason") or None,
        capture=described.get("DataCaptureConfig"),
        alarms=alarm_states(cloudwatch, endpoint),
    )


def served_version(sagemaker, endpoint_config: str, group: str) -> ModelVersion | None:
    """The registry version behind the config's first production variant (models are created
    from the registry with `ModelPackageName`), or None when it is not one of `group`'s."""
    try:
        variants = sagemaker.describe_endpoint_config(EndpointConfigName=endpoint_config)["ProductionVariants"]
        model = sagemaker.describe_model(ModelName=variants[0]["ModelName"])
    except (ClientError, KeyError, IndexError):
        return None
    containers = [model.get("PrimaryContainer") or {}, *(model.get("Containers") or [])]
    package = next((c["ModelPackageName"] for c in containers if c.get("ModelPackageName")), None)
    if not package:
        return None
    version = ModelVersion.from_description(sagemaker.describe_model_package(ModelPackageName=package))
    return version if f"/{group.lower()}/" in version.arn.lower() else None


def alarm_states(cloudwatch, endpoint: str) -> dict[str, str]:
    """The endpoint's rollback alarms (named `<endpoint>-...`) and their states."""
    pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=f"{endpoint}-",
                                                                  AlarmTypes=["MetricAlarm"])
    return {a["AlarmName"]: a["StateValue"] for page in pages for a in page.get("MetricAlarms", [])}


def rollback_target(sagemaker, *, group: str, current: EndpointState, version: int | None) -> ModelVersion:
    """The deployment to return to: `version` if given, else the newest version other than the
    one serving now whose deployment completed and whose endpoint config still exists."""
    current_version = current.version.version if current.version else None
    candidates = [v for v in list_versions(sagemaker, group)
                  if v.metadata.get("DeploymentStatus") == DEPLOYED and v.metadata.get("EndpointConfigName")
                  and v.metadata.get("EndpointName") == current.name]
    if version is not None:
        chosen = next((v for v in candidates if v.version == version), None)
        if chosen is None:
            known = ", ".join(str(v.version) for v in candidates) or "none"
            raise LookupError(f"version {version} was never deployed to {current.name} (deployed versions: {known})")
        if chosen.metadata["EndpointConfigName"] == current.endpoint_config:
            raise LookupError(f"version {version} is the one serving now ({current.endpoint_config})")
    else:
        older = [v for v in candidates if v.metadata["EndpointConfigName"] != current.endpoint_config
                 and (current_version is None or v.version < current_version)]
        if not older:
            raise LookupError(f"no earlier deployment of this model to {current.name} to return to "
                              "(`mlops models` shows the versions and their DeploymentStatus)")
        chosen = older[0]
    try:
        sagemaker.describe_endpoint_config(EndpointConfigName=chosen.metadata["EndpointConfigName"])
    except ClientError as error:
        if _not_found(error):
            raise LookupError(f"version {chosen.version}'s endpoint config {chosen.metadata['EndpointConfigName']} "
                              "no longer exists; approve that version again to redeploy it") from None
        raise
    return chosen


def roll_back(sagemaker, *, current: EndpointState, target: ModelVersion, operator: str) -> str:
    """UpdateEndpoint to `target`'s endpoint config, all traffic at once on a new fleet (an
    operator's rollback is the emergency path: no canary), and record it on both versions."""
    if current.status in BUSY:
        raise LookupError(f"endpoint {current.name} is {current.status}; wait until it is InService "
                          "(`mlops endpoint status`), then roll back")
    config = target.metadata["EndpointConfigName"]
    sagemaker.update_endpoint(
        EndpointName=current.name, EndpointConfigName=config,
        DeploymentConfig={"BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0},
            "TerminationWaitInSeconds": 0}},
    )
    note = {"RollbackRequestedBy": operator[:256]}
    if current.version is not None:
        sagemaker.update_model_package(ModelPackageArn=current.version.arn, CustomerMetadataProperties={
            **note, "DeploymentStatus": "RolledBackByOperator"})
    return config


def _variant(raw: dict) -> Variant:
    return Variant(name=raw.get("VariantName", "?"), weight=raw.get("CurrentWeight"),
                   desired_weight=raw.get("DesiredWeight"), instances=raw.get("CurrentInstanceCount"),
                   desired_instances=raw.get("DesiredInstanceCount"),
                   status=", ".join(s.get("Status", "") for s in raw.get("VariantStatus") or []) or None)


def _not_found(error: ClientError) -> bool:
    message = str(error.response.get("Error", {}).get("Message", ""))
    return error.response.get("Error", {}).get("Code") in ("ValidationException", "ResourceNotFound") and (
        "not find" in message.lower() or "not found" in message.lower() or "does not exist" in message.lower())
