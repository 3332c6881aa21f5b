"""What the endpoint control plane asks the data plane for: one fleet per (endpoint config, variant)."""

from __future__ import annotations

from dataclasses import dataclass

# SageMaker's name rule for endpoints, endpoint configs, variants and models.
NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$"


@dataclass(frozen=True)
class FleetSpec:
    endpoint_name: str
    endpoint_config_name: str
    variant_name: str
    model_name: str
    instance_type: str
    instance_count: int
    data_capture: dict | None  # the endpoint config's DataCaptureConfig as given to CreateEndpointConfig
    shadow: bool = False


class FleetStartError(Exception):
    """A fleet could not start; str() is a FailureReason a user can act on."""


def check_spec(spec: FleetSpec) -> None:
    import re

    for field in ("endpoint_name", "endpoint_config_name", "variant_name", "model_name"):
        value = getattr(spec, field)
        if not isinstance(value, str) or not re.match(NAME_PATTERN, value) or len(value) > 63:
            raise FleetStartError(f"{field} {value!r} is not a valid SageMaker name "
                                  f"(1 to 63 characters matching {NAME_PATTERN})")
    if not isinstance(spec.instance_count, int) or isinstance(spec.instance_count, bool) or spec.instance_count < 1:
        raise FleetStartError(f"instance_count must be a positive integer, got {spec.instance_count!r}")
    if not isinstance(spec.instance_type, str) or not spec.instance_type.startswith("ml."):
        raise FleetStartError(f"instance_type {spec.instance_type!r} is not a SageMaker instance type (ml.*)")
