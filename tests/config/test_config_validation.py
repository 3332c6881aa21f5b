"""The `validation` block of a model's config: defaults, bounds named by field, and the block
rendered into the model's settings document."""

from __future__ import annotations

import json

import pytest

from mlops.config import ConfigError, parse_config
from mlops_core.validation_settings import ValidationSettings

MODEL = {"name": "penguins", "target": "species", "problem_type": "classification"}


def _document(**validation) -> dict:
    model = {**MODEL, "validation": validation} if validation else MODEL
    config = parse_config({"models": [model]})
    return config.models[0].settings_document(region="us-east-1", submit_directory="s3://b/k.gz")


def test_defaults_are_the_core_defaults():
    assert _document()["validation"] == ValidationSettings().to_dict()


def test_values_given_reach_the_settings_document():
    document = _document(min_rows=50, reject_drift=True, processing_above_bytes=0)
    assert (document["validation"]["min_rows"], document["validation"]["reject_drift"]) == (50, True)
    assert document["validation"]["processing_above_bytes"] == 0


@pytest.mark.parametrize("field, value", [
    ("max_duplicate_share", 1.5), ("min_rows", 0), ("drift_threshold", 0), ("max_field_bytes", 1), ("unknown", 1),
])
def test_bad_values_name_the_field(field, value):
    with pytest.raises(ConfigError, match=rf"models\[0\]\.validation\.{field}"):
        parse_config({"models": [{**MODEL, "validation": {field: value}}]}, source="stage.json")


def test_the_settings_document_stays_inside_one_standard_ssm_parameter():
    assert len(json.dumps(_document(), separators=(",", ":"))) < 4096
