"""The parts of a model's SSM settings (docs/contracts.md) that the data steps use.

Read defensively: the JSON is written by CDK from the typed config, but the parameter is a
plain string in SSM that anyone with access can edit, so a bad value must fail with a message
naming the key rather than deep inside pandas.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mlops_core.validation_settings import ValidationSettings

PROBLEM_TYPES = ("classification", "regression")

DEFAULT_TEST_SIZE = 0.2
DEFAULT_RANDOM_SEED = 42


@dataclass(frozen=True)
class DataSettings:
    target: str
    problem_type: str
    test_size: float = DEFAULT_TEST_SIZE
    random_seed: int = DEFAULT_RANDOM_SEED
    validation: ValidationSettings = field(default_factory=ValidationSettings)

    @property
    def is_classification(self) -> bool:
        return self.problem_type == "classification"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> DataSettings:
        """Pick and check the data-step keys; raise ValueError naming the bad key."""
        target = settings.get("target")
        if not isinstance(target, str) or not target:
            raise ValueError(f"settings.target must be a non-empty string, got {target!r}")
        problem_type = settings.get("problem_type")
        if problem_type not in PROBLEM_TYPES:
            raise ValueError(f"settings.problem_type must be one of {PROBLEM_TYPES}, got {problem_type!r}")
        test_size = _number(settings, "test_size", DEFAULT_TEST_SIZE, float)
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"settings.test_size must be between 0 and 1 (exclusive), got {test_size!r}")
        return cls(
            target=target,
            problem_type=problem_type,
            test_size=test_size,
            random_seed=_number(settings, "random_seed", DEFAULT_RANDOM_SEED, int),
            validation=ValidationSettings.from_mapping(settings.get("validation")),
        )


def _number(settings: Mapping[str, Any], name: str, default: Any, kind: type) -> Any:
    value = settings.get(name)
    if value is None:
        return default
    # bool is an int in Python; `true` in JSON is surely a mistake for a number.
    if isinstance(value, bool):
        raise ValueError(f"settings.{name} must be a number, got {value!r}")
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"settings.{name} must be a number, got {value!r}") from None
