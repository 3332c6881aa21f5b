"""A tuning job's ParameterRanges, checked as SageMaker checks them at
CreateHyperParameterTuningJob, and turned into values the way SageMaker passes them: strings.

Scaling: Linear and Logarithmic map to optuna's linear and log distributions;
ReverseLogarithmic samples 1 - x on a log scale (dense near 1, for values in [0, 1));
Auto is searched linearly (SageMaker does not document what Auto chooses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moto.sagemaker.exceptions import ValidationError

MAX_PARAMETERS = 30
MAX_CATEGORIES = 30
SCALINGS = ("Auto", "Linear", "Logarithmic", "ReverseLogarithmic")


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # "integer" | "continuous" | "categorical"
    low: float = 0.0
    high: float = 0.0
    scaling: str = "Linear"
    values: tuple[str, ...] = ()

    def suggest(self, trial) -> str:
        """One value from an optuna trial, as the string a training job receives."""
        if self.kind == "categorical":
            return trial.suggest_categorical(self.name, list(self.values))
        if self.kind == "integer":
            return str(trial.suggest_int(self.name, int(self.low), int(self.high), log=self.scaling == "Logarithmic"))
        if self.scaling == "ReverseLogarithmic":
            # 1 - x on a log scale: optuna samples the distance from 1, which is > 0.
            return _text(1.0 - trial.suggest_float(self.name, 1.0 - self.high, 1.0 - self.low, log=True))
        return _text(trial.suggest_float(self.name, self.low, self.high, log=self.scaling == "Logarithmic"))


@dataclass(frozen=True)
class SearchSpace:
    parameters: tuple[Parameter, ...]

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.parameters]

    @property
    def all_categorical(self) -> bool:
        return all(p.kind == "categorical" for p in self.parameters)

    def grid(self) -> dict[str, list[str]]:
        return {p.name: list(p.values) for p in self.parameters}


def parse_ranges(ranges: dict[str, Any] | None) -> SearchSpace:
    """ParameterRanges -> SearchSpace, or ValidationError naming the bad range."""
    ranges = ranges or {}
    if ranges.get("AutoParameters"):
        raise ValidationError("ParameterRanges.AutoParameters (Autotune) is not supported by the embedded cloud")
    parameters = [_numeric(r, "integer") for r in ranges.get("IntegerParameterRanges") or []]
    parameters += [_numeric(r, "continuous") for r in ranges.get("ContinuousParameterRanges") or []]
    parameters += [_categorical(r) for r in ranges.get("CategoricalParameterRanges") or []]
    if not parameters:
        raise ValidationError("ParameterRanges must name at least one hyperparameter to tune")
    if len(parameters) > MAX_PARAMETERS:
        raise ValidationError(f"ParameterRanges may hold at most {MAX_PARAMETERS} hyperparameters, "
                              f"got {len(parameters)}")
    names = [p.name for p in parameters]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValidationError(f"ParameterRanges name {', '.join(duplicated)} more than once")
    return SearchSpace(tuple(parameters))


def _numeric(spec: dict, kind: str) -> Parameter:
    name = spec.get("Name") or ""
    scaling = spec.get("ScalingType") or "Auto"
    if scaling not in SCALINGS or (kind == "integer" and scaling == "ReverseLogarithmic"):
        raise ValidationError(f"Hyperparameter {name}: ScalingType {scaling} is not valid for a {kind} range")
    convert = int if kind == "integer" else float
    try:
        low, high = convert(spec["MinValue"]), convert(spec["MaxValue"])
    except (KeyError, TypeError, ValueError):
        raise ValidationError(f"Hyperparameter {name}: MinValue and MaxValue must be {kind} numbers, got "
                              f"{spec.get('MinValue')!r} and {spec.get('MaxValue')!r}") from None
    if low > high:
        raise ValidationError(f"Hyperparameter {name}: MinValue {low} is greater than MaxValue {high}")
    if scaling == "Logarithmic" and low <= 0:
        raise ValidationError(f"Hyperparameter {name}: Logarithmic scaling needs MinValue > 0")
    if scaling == "ReverseLogarithmic" and not (0 <= low and high < 1):
        raise ValidationError(f"Hyperparameter {name}: ReverseLogarithmic scaling needs 0 <= MinValue and "
                              "MaxValue < 1")
    return Parameter(name=name, kind=kind, low=low, high=high, scaling="Linear" if scaling == "Auto" else scaling)


def _categorical(spec: dict) -> Parameter:
    name = spec.get("Name") or ""
    values = [str(v) for v in spec.get("Values") or []]
    if not values or len(values) > MAX_CATEGORIES:
        raise ValidationError(f"Hyperparameter {name}: give between 1 and {MAX_CATEGORIES} Values")
    return Parameter(name=name, kind="categorical", values=tuple(values))


def _text(value: float) -> str:
    # repr keeps every digit, as SageMaker's own values do ("0.06345437812376434").
    return repr(float(value))
