"""Thresholds of training-data validation: the ``validation`` block of a model's settings.

The defaults are defined here once: the typed config (mlops/config.py, not shipped) takes its
defaults from this class, and the Lambda and the validation job, which only see the settings
JSON, fall back to the same values for keys an older settings document lacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

MIB = 1024 * 1024


@dataclass(frozen=True)
class ValidationSettings:
    # Rows with a target value; fewer cannot train and test a model worth registering.
    min_rows: int = 20
    # Rows per class (classification); a stratified split needs a few of each in test too.
    min_rows_per_class: int = 5
    # Share of rows with a target value; rows without one are dropped before training.
    min_target_completeness: float = 0.9
    # Share of rows that repeat an earlier row exactly.
    max_duplicate_share: float = 0.1
    # Longest field (bytes); a longer one is a broken quote or a file glued into a cell.
    max_field_bytes: int = MIB
    # Distance above which a feature's distribution counts as drifted (Model Monitor's
    # comparison_threshold; the suggested constraints carry it).
    drift_threshold: float = 0.1
    # A contract established from data asks each column to be at least as complete as in that
    # first dataset, less this share (1.0 complete then, 0.9 accepted later); a column that is
    # now mostly or all missing fails completeness_check.
    completeness_tolerance: float = 0.1
    # Drift alone does not reject training data by default: new data that drifted is the
    # reason to retrain. Drift is reported either way.
    reject_drift: bool = False
    # Share of a text column's values outside the contract's known categories that is still
    # accepted (new categories do appear); above it, categorical_values_check fails.
    max_unseen_category_share: float = 0.1
    # Objects larger than this are validated by a SageMaker Processing job instead of the
    # ValidateData Lambda (which has 15 minutes at most).
    processing_above_bytes: int = 256 * MIB
    # The largest object a run accepts at all: a bigger upload (a wrong file, a database dump)
    # fails at once with ObjectTooLarge, before any Lambda or SageMaker job reads a byte of it.
    # Large objects are profiled and split by Processing jobs, which stream them; the limit
    # keeps a mistaken upload from costing hours of instance time.
    max_object_bytes: int = 2048 * MIB

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ValidationSettings:
        """Known keys from ``values`` (unknown ones are ignored), defaults for the rest;
        raise ValueError naming a key whose value has the wrong type."""
        values = values or {}
        if not isinstance(values, Mapping):
            raise ValueError(f"settings.validation must be an object, got {values!r}")
        chosen: dict[str, Any] = {}
        for item in fields(cls):
            if values.get(item.name) is not None:
                chosen[item.name] = _typed(item.name, values[item.name], type(getattr(cls, item.name)))
        return cls(**chosen)

    def to_dict(self) -> dict[str, Any]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


def _typed(name: str, value: Any, kind: type) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"settings.validation.{name} must be true or false, got {value!r}")
        return value
    # bool is an int in Python; `true` for a number is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"settings.validation.{name} must be a number, got {value!r}")
    if kind is int and value != int(value):
        raise ValueError(f"settings.validation.{name} must be a whole number, got {value!r}")
    return kind(value)
