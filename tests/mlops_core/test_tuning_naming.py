"""Tuning job names: deterministic, valid for SageMaker (<= 32), starting with the model."""

from __future__ import annotations

import re

from mlops_core.naming import job_name, tuning_job_name, tuning_job_prefix

TUNING_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$")


def test_the_name_is_the_model_the_run_hash_and_tune():
    name = tuning_job_name("penguins", "data", "datasets/penguins/p.csv", "v1")
    assert name == f"penguins-{job_name('penguins', 'data', 'datasets/penguins/p.csv', 'v1', 'x').split('-')[1]}-tune"
    assert name == tuning_job_name("penguins", "data", "datasets/penguins/p.csv", "v1")
    assert name != tuning_job_name("penguins", "data", "datasets/penguins/p.csv", "v2")


def test_long_and_odd_model_names_still_give_valid_names_with_their_prefix():
    for model in ("a-very-long-model-name-of-31-ch", "pingüino grande", "x", "日本"):
        name = tuning_job_name(model, "b", f"datasets/{model}/f.csv", "v")
        assert TUNING_NAME.match(name) and len(name) <= 32, name
        assert name.startswith(tuning_job_prefix(model) + "-")
    assert tuning_job_prefix("a-very-long-model-name-of-31-ch") == "a-very-long-mo"
