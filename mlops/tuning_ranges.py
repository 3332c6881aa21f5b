"""Parameter ranges of the `tuning` config block, and their rendering in SageMaker's
ParameterRanges shape (every bound and value a string)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

# SageMaker: at most 30 values per categorical parameter.
MAX_CATEGORIES = 30


class Strict(BaseModel):
    """Unknown keys are errors (a typo never passes silently), as in mlops/config.py."""

    model_config = ConfigDict(extra="forbid")


class IntegerRange(Strict):
    type: Literal["integer"]
    min: int
    max: int
    scaling: Literal["Auto", "Linear", "Logarithmic"] = "Auto"

    @model_validator(mode="after")
    def _bounds(self) -> IntegerRange:
        _check_bounds(self.min, self.max, self.scaling)
        return self


class ContinuousRange(Strict):
    type: Literal["continuous"]
    min: float
    max: float
    scaling: Literal["Auto", "Linear", "Logarithmic", "ReverseLogarithmic"] = "Auto"

    @model_validator(mode="after")
    def _bounds(self) -> ContinuousRange:
        if not (math.isfinite(self.min) and math.isfinite(self.max)):
            raise ValueError("min and max must be finite numbers")
        _check_bounds(self.min, self.max, self.scaling)
        return self


class CategoricalRange(Strict):
    type: Literal["categorical"]
    values: list[str | int | float | bool] = Field(min_length=1, max_length=MAX_CATEGORIES)

    @field_validator("values")
    @classmethod
    def _as_text(cls, values: list[Any]) -> list[str]:
        # SageMaker passes every value as a string; booleans as train.py reads them.
        text = [("true" if v else "false") if isinstance(v, bool) else str(v) for v in values]
        if len(set(text)) != len(text):
            raise ValueError("values must be distinct")
        return text


ParameterRange = Annotated[IntegerRange | ContinuousRange | CategoricalRange, Field(discriminator="type")]
RANGE_ADAPTER = TypeAdapter(ParameterRange)


def _check_bounds(low: float, high: float, scaling: str) -> None:
    if low >= high:
        raise ValueError("max must be greater than min")
    if scaling == "Logarithmic" and low <= 0:
        raise ValueError("Logarithmic scaling needs min > 0")
    if scaling == "ReverseLogarithmic" and not (0 <= low and high < 1):
        raise ValueError("ReverseLogarithmic scaling needs 0 <= min and max < 1")


def aws_ranges(ranges: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """ParameterRanges in SageMaker's shape: every bound and value is a string."""
    out: dict[str, list[dict[str, Any]]] = {
        "IntegerParameterRanges": [], "ContinuousParameterRanges": [], "CategoricalParameterRanges": []}
    for name, spec in ranges.items():
        if spec.type == "categorical":
            out["CategoricalParameterRanges"].append({"Name": name, "Values": list(spec.values)})
            continue
        kind = "IntegerParameterRanges" if spec.type == "integer" else "ContinuousParameterRanges"
        out[kind].append({"Name": name, "MinValue": str(spec.min), "MaxValue": str(spec.max),
                          "ScalingType": spec.scaling})
    return out
