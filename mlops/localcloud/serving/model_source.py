"""Which container a fleet runs: the SageMaker model record, through its model package if it names one.

Models created from the registry carry only `PrimaryContainer.ModelPackageName`; SageMaker then
takes the image, model data and environment from the package's InferenceSpecification (the
model's own Environment on top, as CreateModel documents).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moto.sagemaker.exceptions import ValidationError as MotoValidationError
from moto.sagemaker.models import sagemaker_backends

from mlops.localcloud.serving.spec import FleetStartError


@dataclass(frozen=True)
class ContainerSpec:
    model_name: str
    role_arn: str
    image: str | None
    model_data_url: str | None
    environment: dict[str, str] = field(default_factory=dict)
    model_package_arn: str | None = None

    @property
    def identities(self) -> frozenset[str]:
        """The names a fault can be injected by (tests and demos name what they know)."""
        return frozenset(v for v in (self.model_name, self.model_package_arn, self.model_data_url) if v)


def resolve_container(*, account: str, region: str, model_name: str) -> ContainerSpec:
    backend = sagemaker_backends[account][region]
    try:
        model = backend.describe_model(model_name)
    except MotoValidationError:
        raise FleetStartError(f"Could not find model \"arn:aws:sagemaker:{region}:{account}:model/"
                              f"{model_name.lower()}\".") from None
    primary = model.primary_container or (model.containers[0] if model.containers else None)
    if not primary:
        raise FleetStartError(f"Model {model_name} has neither a PrimaryContainer nor Containers.")
    own_env = {str(k): str(v) for k, v in (primary.get("Environment") or {}).items()}
    package_arn = primary.get("ModelPackageName")
    if package_arn:
        package = _package_container(backend, model_name, package_arn)
        return ContainerSpec(
            model_name=model_name, role_arn=model.execution_role_arn, image=package.get("Image"),
            model_data_url=package.get("ModelDataUrl"),
            environment={**{str(k): str(v) for k, v in (package.get("Environment") or {}).items()}, **own_env},
            model_package_arn=package_arn,
        )
    return ContainerSpec(model_name=model_name, role_arn=model.execution_role_arn, image=primary.get("Image"),
                         model_data_url=primary.get("ModelDataUrl"), environment=own_env)


def _package_container(backend, model_name: str, package_arn: str) -> dict:
    try:
        package = backend.describe_model_package(package_arn)
    except MotoValidationError:
        raise FleetStartError(f"Model package {package_arn} of model {model_name} does not exist.") from None
    containers = (package.inference_specification or {}).get("Containers") or []
    if not containers:
        raise FleetStartError(f"Model package {package_arn} of model {model_name} has no "
                              "InferenceSpecification.Containers to serve.")
    return containers[0]
