"""The data-step settings: defaults, and bad values named by key."""

from __future__ import annotations

import pytest

from mlops_core.settings import DataSettings

BASE = {"target": "species", "problem_type": "classification"}


def test_defaults_apply_when_keys_are_absent():
    settings = DataSettings.from_settings(BASE)
    assert (settings.test_size, settings.random_seed, settings.min_rows, settings.max_validation_bytes) == (
        0.2,
        42,
        10,
        512 * 1024 * 1024,
    )


def test_values_from_the_ssm_json_are_used():
    settings = DataSettings.from_settings({**BASE, "test_size": 0.3, "random_seed": 7, "min_rows": 50})
    assert (settings.test_size, settings.random_seed, settings.min_rows) == (0.3, 7, 50)


@pytest.mark.parametrize(
    "change, key",
    [
        ({"target": ""}, "target"),
        ({"problem_type": "clustering"}, "problem_type"),
        ({"test_size": 1.5}, "test_size"),
        ({"random_seed": "abc"}, "random_seed"),
        ({"min_rows": True}, "min_rows"),
    ],
)
def test_bad_values_raise_naming_the_key(change, key):
    with pytest.raises(ValueError, match=f"settings.{key}"):
        DataSettings.from_settings({**BASE, **change})
