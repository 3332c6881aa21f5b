"""The typed stage config (docs/contracts.md "Config"): one definition for infra, CLI and the
embedded cloud.

`load_config(path)` reads a JSON file and raises `ConfigError` whose message starts with the
file path and names the failing field (`config/dev.json: models[0].problem_type: ...`).
`ModelConfig.settings_document(...)` renders the per-model SSM JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mlops.config_gate import GateConfig
from mlops.config_monitoring import MonitoringConfig
from mlops.config_network import NetworkConfig
from mlops.config_serving import ServingConfig
from mlops.config_tuning import TuningConfig
from mlops.config_validation import ValidationConfig

# CloudFormation stack names: letter first, then letters, digits and hyphens, 128 at most.
STACK_NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9-]{0,127}$"
MODEL_NAME_PATTERN = r"^[a-z][a-z0-9-]{0,30}$"
# SageMaker ModelPackageGroupName.
PACKAGE_GROUP_PATTERN = r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"
REGION_PATTERN = r"^[a-z]{2}(-[a-z]+)+-\d$"
ACCOUNT_PATTERN = r"^\d{12}$"
# Hyperparameters become `--key value` arguments of train.py, so keep keys argparse-friendly.
HYPERPARAMETER_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,99}$"
# Keys the pipeline sets itself (contracts.md): a user value would silently override them.
RESERVED_HYPERPARAMETERS = frozenset({"target", "problem-type", "estimator", "random-seed"})
# SageMaker allows 100 hyperparameters; the pipeline sets 8 of them.
MAX_USER_HYPERPARAMETERS = 90

APPROVAL_STATUS = {"auto": "Approved", "manual": "PendingManualApproval"}


class ConfigError(ValueError):
    """A stage config that cannot be used; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JobResources(_Strict):
    instance_type: str = Field(default="ml.m5.large", pattern=r"^ml\.[a-z0-9]+\.[a-z0-9]+$")
    instance_count: int = Field(default=1, ge=1, le=100)
    volume_size_gb: int = Field(default=30, ge=1, le=16384)
    # SageMaker's own ceiling for MaxRuntimeInSeconds is 28 days.
    max_runtime_seconds: int = Field(default=3600, ge=60, le=2_419_200)


class ModelConfig(_Strict):
    name: str = Field(pattern=MODEL_NAME_PATTERN)
    target: str = Field(min_length=1)
    problem_type: Literal["classification", "regression"]
    estimator: Literal["random_forest", "gradient_boosting", "linear"] = "random_forest"
    hyperparameters: dict[str, str | int | float | bool] = Field(default_factory=dict)
    test_size: float = Field(default=0.2, ge=0.05, le=0.5)
    # numpy's generators take seeds in [0, 2**32): refuse others here, not inside a job.
    random_seed: int = Field(default=42, ge=0, le=2**32 - 1)
    training: JobResources = Field(default_factory=JobResources)
    processing: JobResources = Field(default_factory=JobResources)
    # None until StageConfig fills in f"{stack_name}-{name}".
    model_package_group_name: str | None = Field(default=None, pattern=PACKAGE_GROUP_PATTERN)
    approval: Literal["auto", "manual"] = "auto"
    tuning: TuningConfig = Field(default_factory=TuningConfig)
    gate: GateConfig = Field(default_factory=GateConfig)
    validation: ValidationConfig = Field(default_factory=ValidationConfig)
    serving: ServingConfig = Field(default_factory=ServingConfig)
    monitoring: MonitoringConfig = Field(default_factory=MonitoringConfig)

    @field_validator("hyperparameters", mode="before")
    @classmethod
    def _scalar_values(cls, value: Any) -> Any:
        # One clear message instead of one per member of the value union.
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(item, (str, int, float, bool)):
                    raise ValueError(f"'{key}': value must be a string, number or boolean")
        return value

    @field_validator("hyperparameters")
    @classmethod
    def _check_hyperparameters(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_USER_HYPERPARAMETERS:
            raise ValueError(f"at most {MAX_USER_HYPERPARAMETERS} hyperparameters are allowed")
        for key in value:
            if key in RESERVED_HYPERPARAMETERS or key.startswith("sagemaker_"):
                raise ValueError(f"'{key}' is set by the pipeline and cannot be given here")
            if not _matches(HYPERPARAMETER_KEY_PATTERN, key):
                raise ValueError(f"'{key}' is not a valid name (letters, digits, '_' and '-', letter first)")
        return value

    @field_validator("model_package_group_name")
    @classmethod
    def _group_contains_name(cls, value: str | None, info) -> str | None:
        name = info.data.get("name")
        if value is not None and name and name not in value:
            raise ValueError(f"must contain the model name '{name}'")
        return value

    @model_validator(mode="after")
    def _check_tuning(self) -> ModelConfig:
        self.tuning.check(problem_type=self.problem_type, estimator=self.estimator,
                          hyperparameters=self.hyperparameters, reserved=RESERVED_HYPERPARAMETERS,
                          name_pattern=HYPERPARAMETER_KEY_PATTERN)
        return self

    @model_validator(mode="after")
    def _check_gate(self) -> ModelConfig:
        self.gate.resolved(self.problem_type)  # ValueError names what is wrong
        return self

    @model_validator(mode="after")
    def _check_serving(self) -> ModelConfig:
        self.serving.check(self.name)
        return self

    @model_validator(mode="after")
    def _check_monitoring(self) -> ModelConfig:
        self.monitoring.check(problem_type=self.problem_type, serving_enabled=self.serving.enabled,
                              explicitly_enabled="enabled" in self.monitoring.model_fields_set)
        return self

    @property
    def approval_status(self) -> str:
        return APPROVAL_STATUS[self.approval]

    def settings_document(self, *, region: str, submit_directory: str) -> dict[str, Any]:
        """The per-model SSM JSON of contracts.md. `submit_directory` is the job code's S3 URL
        (a CDK token in infra); SageMaker-owned hyperparameters are JSON-encoded as the
        SageMaker SDK does, user ones are plain strings."""
        if self.model_package_group_name is None:
            raise ValueError("model_package_group_name is resolved by StageConfig; load the stage config")
        hyperparameters = {
            "sagemaker_program": json.dumps("train.py"),
            "sagemaker_submit_directory": '"' + submit_directory + '"',
            "sagemaker_container_log_level": "20",
            "sagemaker_region": json.dumps(region),
            "target": self.target,
            "problem-type": self.problem_type,
            "estimator": self.estimator,
            "random-seed": str(self.random_seed),
        }
        hyperparameters.update({key: _hyperparameter_string(v) for key, v in self.hyperparameters.items()})
        return {
            "model": self.name,
            "target": self.target,
            "problem_type": self.problem_type,
            "test_size": self.test_size,
            "random_seed": self.random_seed,
            "model_package_group": self.model_package_group_name,
            "approval_status": self.approval_status,
            "training": self.training.model_dump(),
            "processing": self.processing.model_dump(),
            "hyperparameters": hyperparameters,
            "gate": self.gate.settings_block(self.problem_type),
            "validation": self.validation.settings_block(),
            "tuning": self.tuning.settings_block(problem_type=self.problem_type, estimator=self.estimator,
                                                 fixed=self.hyperparameters, random_seed=self.random_seed),
            "serving": self.serving.settings_block(),
            "monitoring": self.monitoring.settings_block(problem_type=self.problem_type,
                                                         endpoint_name=self.serving.endpoint_name),
        }


class StageConfig(_Strict):
    stack_name: str = Field(default="MlopsStack", pattern=STACK_NAME_PATTERN)
    region: str = Field(default="us-east-1", pattern=REGION_PATTERN)
    account: str | None = Field(default=None, pattern=ACCOUNT_PATTERN)
    poll_seconds: int = Field(default=30, ge=1, le=3600)
    models: list[ModelConfig] = Field(min_length=1)
    # Optional VPC for the Lambdas and SageMaker jobs (mlops/config_network.py); off by default.
    network: NetworkConfig = Field(default_factory=NetworkConfig)

    @field_validator("models")
    @classmethod
    def _unique_names(cls, models: list[ModelConfig]) -> list[ModelConfig]:
        seen: set[str] = set()
        for model in models:
            if model.name in seen:
                raise ValueError(f"duplicate model name '{model.name}'")
            seen.add(model.name)
        return models

    @model_validator(mode="after")
    def _default_package_groups(self) -> StageConfig:
        for index, model in enumerate(self.models):
            if model.model_package_group_name is None:
                group = f"{self.stack_name}-{model.name}"
                if not _matches(PACKAGE_GROUP_PATTERN, group):
                    raise ValueError(
                        f"models[{index}].model_package_group_name: default '{group}' is not a valid "
                        "SageMaker model package group name; set it explicitly"
                    )
                model.model_package_group_name = group
        return self

    @model_validator(mode="after")
    def _default_endpoint_names(self) -> StageConfig:
        seen: dict[str, str] = {}
        for index, model in enumerate(self.models):
            try:
                name = model.serving.resolve_endpoint_name(stack_name=self.stack_name, model_name=model.name)
            except ValueError as error:
                raise ValueError(f"models[{index}].{error}") from None
            if not model.serving.enabled:
                continue
            # SageMaker endpoint names are unique per account and region, ignoring case.
            if name.lower() in seen:
                raise ValueError(f"models[{index}].serving.endpoint_name: '{name}' is also the endpoint of "
                                 f"model '{seen[name.lower()]}'")
            seen[name.lower()] = model.name
        return self

    @model_validator(mode="after")
    def _check_monitoring_names(self) -> StageConfig:
        for index, model in enumerate(self.models):
            if model.monitoring.enabled:
                try:
                    model.monitoring.check_endpoint(model.serving.endpoint_name)
                except ValueError as error:
                    raise ValueError(f"models[{index}].{error}") from None
        return self

    def model(self, name: str) -> ModelConfig:
        for model in self.models:
            if model.name == name:
                return model
        raise KeyError(name)


def load_config(path: str | Path) -> StageConfig:
    """Read and validate a stage config file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a JSON object")
    return parse_config(raw, source=str(path))


def apply_overrides(config: StageConfig, overrides: dict[str, Any], *, source: str) -> StageConfig:
    """Replace top-level keys (e.g. {"poll_seconds": 2} from CDK context) and validate again;
    errors name `source` instead of the file."""
    if not overrides:
        return config
    return parse_config(config.model_dump() | overrides, source=source)


def parse_config(raw: dict[str, Any], *, source: str = "<config>") -> StageConfig:
    try:
        return StageConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError("\n".join(f"{source}: {_describe(item)}" for item in error.errors())) from None


def _describe(item: dict[str, Any]) -> str:
    location = _location(item.get("loc", ()))
    message = item.get("msg", "invalid value")
    # Errors raised in validators carry pydantic's "Value error, " prefix: drop it.
    message = message.removeprefix("Value error, ")
    if message.startswith("models[") and ": " in message:
        return message  # already located (StageConfig-level check on one model)
    return f"{location}: {message}" if location else message


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _hyperparameter_string(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None
