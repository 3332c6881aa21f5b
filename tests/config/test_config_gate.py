"""The `gate` block of a model config: defaults per problem type, errors naming the field."""

from __future__ import annotations

import pytest

from mlops.config import ConfigError, parse_config

CLASSIFIER = {"name": "penguins", "target": "species", "problem_type": "classification"}
REGRESSOR = {"name": "mass", "target": "body_mass_g", "problem_type": "regression"}


def _gate(model: dict) -> dict:
    config = parse_config({"models": [model]})
    return config.models[0].settings_document(region="us-east-1", submit_directory="s3://b/k")["gate"]


def test_defaults_reject_only_useless_models():
    assert _gate(CLASSIFIER) == {"metric": "accuracy", "threshold": 0.5, "tolerance": 0.01}
    assert _gate(REGRESSOR) == {"metric": "r2", "threshold": 0.0, "tolerance": 0.01}


def test_a_configured_gate_is_carried_to_the_settings():
    gate = {"metric": "rmse", "threshold": 250.0, "tolerance": 5}
    assert _gate({**REGRESSOR, "gate": gate}) == {"metric": "rmse", "threshold": 250.0, "tolerance": 5.0}


def test_only_the_tolerance_may_be_given():
    assert _gate({**CLASSIFIER, "gate": {"tolerance": 0}})["tolerance"] == 0.0


@pytest.mark.parametrize(("gate", "message"), [
    ({"metric": "rmse", "threshold": 1}, "models[0]: gate: metric 'rmse' does not apply to classification"),
    ({"metric": "f1"}, "gate.threshold is required when gate.metric is 'f1'"),
    ({"threshold": 1.2}, "threshold 1.2 is outside the range of accuracy"),
    ({"tolerance": -0.5}, "models[0].gate.tolerance"),
    ({"metrc": "f1"}, "models[0].gate.metrc"),
])
def test_a_bad_gate_is_refused_naming_the_field(gate, message):
    with pytest.raises(ConfigError) as error:
        parse_config({"models": [{**CLASSIFIER, "gate": gate}]}, source="stage.json")
    assert message in str(error.value)
