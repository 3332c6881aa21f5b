"""The data-step settings: defaults, and bad values named by key."""

from __future__ import annotations

import pytest

from mlops.config_validation import ValidationConfig
from mlops_core.settings import DataSettings
from mlops_core.validation_settings import ValidationSettings

BASE = {"target": "species", "problem_type": "classification"}


def test_defaults_apply_when_keys_are_absent():
    settings = DataSettings.from_settings(BASE)
    assert (settings.test_size, settings.random_seed, settings.validation) == (0.2, 42, ValidationSettings())


def test_values_from_the_ssm_json_are_used():
    settings = DataSettings.from_settings(
        {**BASE, "test_size": 0.3, "random_seed": 7, "validation": {"min_rows": 50, "reject_drift": True}})
    assert (settings.test_size, settings.random_seed) == (0.3, 7)
    assert (settings.validation.min_rows, settings.validation.reject_drift) == (50, True)
    assert settings.validation.max_duplicate_share == ValidationSettings().max_duplicate_share


def test_the_config_block_and_the_core_defaults_are_the_same_values():
    # The settings JSON is rendered from the config; the Lambda falls back to the core's
    # defaults for keys an older document lacks: both must mean the same.
    assert ValidationSettings.from_mapping(ValidationConfig().settings_block()) == ValidationSettings()
    assert set(ValidationConfig().settings_block()) == set(ValidationSettings().to_dict())


@pytest.mark.parametrize(
    "change, key",
    [
        ({"target": ""}, "target"),
        ({"problem_type": "clustering"}, "problem_type"),
        ({"test_size": 1.5}, "test_size"),
        ({"random_seed": "abc"}, "random_seed"),
        ({"validation": {"min_rows": True}}, "validation.min_rows"),
        ({"validation": {"min_rows": 2.5}}, "validation.min_rows"),
        ({"validation": {"reject_drift": "yes"}}, "validation.reject_drift"),
        ({"validation": [1]}, "validation"),
    ],
)
def test_bad_values_raise_naming_the_key(change, key):
    with pytest.raises(ValueError, match=f"settings.{key}"):
        DataSettings.from_settings({**BASE, **change})
