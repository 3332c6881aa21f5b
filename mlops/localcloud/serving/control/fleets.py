"""What an endpoint config deploys: one fleet per variant, and what DescribeEndpoint says of it.

A `ConfigDeployment` is the set of fleets of one endpoint config on one endpoint (the blue or
the green side of an update). Each `VariantFleet` keeps the variant's desired weight and
instance count, what is current (traffic weight, instances carrying traffic), its
VariantStatus entries and the running `Fleet`, once started.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError

from mlops.localcloud.serving import FleetSpec


@dataclass
class VariantFleet:
    spec: FleetSpec
    weight: float                        # DesiredWeight
    images: list[dict]                   # DeployedImages
    fleet: object | None = None          # the running serving.Fleet
    current_weight: float | None = None  # None until traffic was ever set
    current_instances: int = 0
    status: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.variant_name

    def set_status(self, status: str | None, message: str = "") -> None:
        self.status = [] if status is None else [{"Status": status, "StatusMessage": message, "StartTime": utcnow()}]

    def summary(self, *, pending: bool = False) -> dict:
        """A ProductionVariantSummary (or a PendingProductionVariantSummary)."""
        out: dict = {"VariantName": self.name}
        if self.fleet is not None:
            out["DeployedImages"] = self.images
        if self.current_weight is not None:
            out["CurrentWeight"] = self.current_weight
        out["DesiredWeight"] = self.weight
        out["CurrentInstanceCount"] = self.current_instances
        out["DesiredInstanceCount"] = self.spec.instance_count
        if pending:
            out["InstanceType"] = self.spec.instance_type
        if self.status:
            out["VariantStatus"] = self.status
        return out


@dataclass
class ConfigDeployment:
    config_name: str
    production: list[VariantFleet]
    shadows: list[VariantFleet]
    data_capture: dict | None

    @property
    def variants(self) -> list[VariantFleet]:
        return self.production + self.shadows

    def fleets(self) -> list:
        return [v.fleet for v in self.variants if v.fleet is not None]

    def variant(self, name: str) -> VariantFleet | None:
        return next((v for v in self.production if v.name == name), None)

    def shares(self) -> dict[str, float]:
        """Each production variant's share of this config's traffic, from its weight."""
        total = sum(v.weight for v in self.production)
        return {v.name: (v.weight / total if total else 0.0) for v in self.production}

    def shadow_fractions(self) -> dict[str, float]:
        """Each shadow variant's mirroring fraction: its weight relative to production's, at most 1."""
        total = sum(v.weight for v in self.production)
        return {v.name: (min(1.0, v.weight / total) if total else 0.0) for v in self.shadows}

    def capture_summary(self) -> dict | None:
        """DescribeEndpoint's DataCaptureConfigSummary of this config's DataCaptureConfig."""
        capture = self.data_capture
        if not capture:
            return None
        enabled = bool(capture.get("EnableCapture", True))
        summary = {
            "EnableCapture": enabled,
            "CaptureStatus": "Started" if enabled else "Stopped",
            "CurrentSamplingPercentage": int(capture.get("InitialSamplingPercentage", 0)),
            "DestinationS3Uri": capture.get("DestinationS3Uri", ""),
        }
        if capture.get("KmsKeyId"):
            summary["KmsKeyId"] = capture["KmsKeyId"]
        return summary


def build_deployment(backend, *, endpoint_name: str, config: dict, retained: ConfigDeployment | None = None,
                     exclude: frozenset[str] = frozenset()) -> ConfigDeployment:
    """The fleets `config` (DescribeEndpointConfig's answer) deploys on `endpoint_name`.

    With `retained` (UpdateEndpoint's RetainAllVariantProperties), a variant of the same name
    keeps its current DesiredWeight and DesiredInstanceCount, and the endpoint keeps its data
    capture settings, except the VariantPropertyTypes in `exclude`.
    """
    check_runnable(config)
    capture = config.get("DataCaptureConfig") or None
    if retained is not None and "DataCaptureConfig" not in exclude:
        capture = retained.data_capture

    def variant(raw: dict, shadow: bool) -> VariantFleet:
        spec = FleetSpec(
            endpoint_name=endpoint_name, endpoint_config_name=config["EndpointConfigName"],
            variant_name=raw["VariantName"], model_name=raw["ModelName"],
            instance_type=raw["InstanceType"],
            instance_count=int(raw.get("InitialInstanceCount") or 1), data_capture=capture, shadow=shadow,
        )
        weight = float(raw["InitialVariantWeight"]) if raw.get("InitialVariantWeight") is not None else 1.0
        old = retained.variant(spec.variant_name) if retained is not None and not shadow else None
        if old is not None and "DesiredWeight" not in exclude:
            weight = old.weight
        if old is not None and "DesiredInstanceCount" not in exclude:
            spec = replace(spec, instance_count=old.spec.instance_count)
        return VariantFleet(spec=spec, weight=weight, images=deployed_images(backend, raw["ModelName"]))
    return ConfigDeployment(
        config_name=config["EndpointConfigName"],
        production=[variant(v, False) for v in config.get("ProductionVariants") or []],
        shadows=[variant(v, True) for v in config.get("ShadowProductionVariants") or []],
        data_capture=capture,
    )


def check_runnable(config: dict) -> None:
    """Instance-based variants only: the embedded cloud has no serverless inference."""
    for raw in (config.get("ProductionVariants") or []) + (config.get("ShadowProductionVariants") or []):
        if not raw.get("InstanceType"):
            raise ValidationError(f"Variant '{raw.get('VariantName')}' of endpoint configuration "
                                  f"'{config.get('EndpointConfigName')}' has no InstanceType (ServerlessConfig): "
                                  "the embedded cloud runs instance-based variants only.")


def deployed_images(backend, model_name: str) -> list[dict]:
    """DeployedImages of a SageMaker model: each container's image, from the model or, for a
    container naming a ModelPackageName, from the package's InferenceSpecification."""
    model = backend._models.get(model_name)
    if model is None:  # deleted since the config was made: the fleet start names the problem
        return []
    images = []
    for container in model.containers or [model.primary_container]:
        for spec in _image_specs(backend, container or {}):
            entry = {"SpecifiedImage": spec["Image"], "ResolutionTime": utcnow()}
            if spec.get("ImageDigest"):
                entry["ResolvedImage"] = f"{_repository(spec['Image'])}@{spec['ImageDigest']}"
            images.append(entry)
    return images


def _image_specs(backend, container: dict) -> list[dict]:
    if container.get("Image"):
        return [container]
    package_name = container.get("ModelPackageName")
    if not package_name:
        return []
    arn = backend.model_package_name_mapping.get(package_name, package_name)
    package = backend.model_packages.get(arn)
    spec = getattr(package, "inference_specification", None) or {}
    return [c for c in spec.get("Containers") or [] if c.get("Image")]


def _repository(image: str) -> str:
    """`image` without its tag (a registry host may carry a port: only the last part is tagged)."""
    head, _, last = image.rpartition("/")
    return f"{head}/{last.split(':')[0]}" if head else last.split(":")[0]
