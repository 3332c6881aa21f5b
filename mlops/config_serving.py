"""The `serving` block of a model's config (docs/contracts.md "Serving"): the endpoint, the
blue/green deployment that an approval starts, its rollback alarms, data capture and the
optional shadow test.

Every bound here is SageMaker's or CloudWatch's own, so a config that loads is one the APIs
accept; `settings_block()` is what goes into the model's SSM settings document.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from mlops.tuning_ranges import Strict

# EndpointName, EndpointConfigName and VariantName in SageMaker's API.
SAGEMAKER_NAME_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"
# CloudWatch: the evaluation range (period x periods) must not exceed one day.
MAX_EVALUATION_SECONDS = 86_400


class DataCaptureConfig(Strict):
    enabled: bool = True
    sampling_percent: int = Field(default=100, ge=0, le=100)


class AlarmsConfig(Strict):
    """The rollback alarms: the endpoint-wide 5XX alarm (CDK) and the new fleet's alarms
    (made by each deployment)."""

    period_seconds: int = Field(default=60, ge=10)
    evaluation_periods: int = Field(default=1, ge=1)
    # 5XX errors per period above which a fleet is failing (0: any error).
    error_threshold: float = Field(default=0, ge=0)
    latency_p99_ms: float = Field(default=1000, gt=0)

    @field_validator("period_seconds")
    @classmethod
    def _cloudwatch_period(cls, value: int) -> int:
        # CloudWatch alarms take high-resolution periods 10 and 30, else whole minutes.
        if value not in (10, 30) and value % 60:
            raise ValueError(f"must be 10, 30 or a multiple of 60 (CloudWatch alarm periods), got {value}")
        return value

    @model_validator(mode="after")
    def _one_day_at_most(self) -> AlarmsConfig:
        if self.period_seconds * self.evaluation_periods > MAX_EVALUATION_SECONDS:
            raise ValueError(f"alarms: period_seconds x evaluation_periods must be at most {MAX_EVALUATION_SECONDS} "
                             f"seconds (one day, CloudWatch's limit), got "
                             f"{self.period_seconds * self.evaluation_periods}")
        return self


class ShadowConfig(Strict):
    """A shadow test before the canary: the candidate gets a copy of production traffic and
    is compared with production on the captured answers and on latency."""

    enabled: bool = False
    duration_seconds: int = Field(default=300, ge=1, le=86_400)
    sampling_percent: int = Field(default=100, ge=1, le=100)
    min_requests: int = Field(default=10, ge=1)
    # Share of predictions that must be identical (regression models rarely agree exactly:
    # set 0 to compare latency only).
    min_agreement: float = Field(default=0.95, ge=0.0, le=1.0)
    max_latency_ratio: float = Field(default=2.0, gt=0.0)


class ServingConfig(Strict):
    enabled: bool = True
    # None until StageConfig fills in f"{stack_name}-{model}" (resolve_endpoint_name).
    endpoint_name: str | None = Field(default=None, pattern=SAGEMAKER_NAME_PATTERN)
    variant_name: str = Field(default="AllTraffic", pattern=SAGEMAKER_NAME_PATTERN)
    instance_type: str = Field(default="ml.m5.large", pattern=r"^ml\.[a-z0-9]+\.[a-z0-9]+$")
    instance_count: int = Field(default=1, ge=1, le=100)
    strategy: Literal["canary", "linear", "all_at_once"] = "canary"
    # SageMaker: a canary is at most 50% of the fleet; a linear step 10-50% of it.
    canary_percent: int = Field(default=10, ge=1, le=50)
    linear_step_percent: int = Field(default=25, ge=10, le=50)
    wait_interval_seconds: int = Field(default=300, ge=0, le=3600)
    termination_wait_seconds: int = Field(default=300, ge=0, le=3600)
    max_execution_timeout_seconds: int = Field(default=3600, ge=600, le=28_800)
    data_capture: DataCaptureConfig = Field(default_factory=DataCaptureConfig)
    alarms: AlarmsConfig = Field(default_factory=AlarmsConfig)
    shadow: ShadowConfig = Field(default_factory=ShadowConfig)

    @model_validator(mode="after")
    def _consistent(self) -> ServingConfig:
        if self.shadow.enabled and not self.data_capture.enabled:
            raise ValueError("shadow.enabled requires data_capture.enabled: the shadow test compares the "
                             "captured answers of both variants")
        waits = self.wait_interval_seconds + self.termination_wait_seconds
        if self.max_execution_timeout_seconds <= waits:
            raise ValueError(f"max_execution_timeout_seconds ({self.max_execution_timeout_seconds}) must be larger "
                             f"than wait_interval_seconds + termination_wait_seconds ({waits}), as SageMaker requires")
        return self

    def check(self, model_name: str) -> None:
        """Rules that need the model's name; raises ValueError naming `serving.<field>`."""
        if self.endpoint_name is not None and model_name not in self.endpoint_name:
            raise ValueError(f"serving.endpoint_name: must contain the model name '{model_name}'")

    def resolve_endpoint_name(self, *, stack_name: str, model_name: str) -> str:
        """Fill in the default endpoint name; ValueError when the default is not a valid name."""
        if self.endpoint_name is None:
            default = f"{stack_name}-{model_name}"
            if not re.fullmatch(SAGEMAKER_NAME_PATTERN, default):
                raise ValueError(f"serving.endpoint_name: default '{default}' is not a valid SageMaker endpoint "
                                 "name (at most 63 letters, digits and hyphens); set it explicitly")
            self.endpoint_name = default
        return self.endpoint_name

    def settings_block(self) -> dict[str, Any]:
        """The `serving` block of the settings document: the config with every default filled in."""
        if self.endpoint_name is None:
            raise ValueError("serving.endpoint_name is resolved by StageConfig; load the stage config")
        return self.model_dump()
