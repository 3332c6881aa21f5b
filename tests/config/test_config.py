"""mlops/config.py: defaults, errors that name the file and the field, settings document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops.config import ConfigError, apply_overrides, load_config, parse_config
from mlops.config_validation import ValidationConfig

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL = {"name": "penguins", "target": "species", "problem_type": "classification"}


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "stage.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def error_of(tmp_path: Path, data) -> str:
    path = write(tmp_path, data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message


def test_the_bundled_dev_config_has_one_penguins_classifier_with_defaults():
    config = load_config(REPO_ROOT / "config" / "dev.json")
    assert (config.stack_name, config.region, config.account, config.poll_seconds) == (
        "MlopsStack", "us-east-1", None, 30)
    [model] = config.models
    assert (model.name, model.target, model.problem_type) == ("penguins", "species", "classification")


def test_defaults(tmp_path):
    config = load_config(write(tmp_path, {"models": [MODEL]}))
    model = config.models[0]
    assert model.estimator == "random_forest" and model.hyperparameters == {}
    assert (model.test_size, model.random_seed) == (0.2, 42)
    for job in (model.training, model.processing):
        assert job.model_dump() == {"instance_type": "ml.m5.large", "instance_count": 1,
                                    "volume_size_gb": 30, "max_runtime_seconds": 3600}
    assert model.model_package_group_name == "MlopsStack-penguins"
    assert model.approval == "auto" and model.approval_status == "Approved"


def test_the_package_group_follows_the_stack_name(tmp_path):
    config = load_config(write(tmp_path, {"stack_name": "Churn-Prod", "models": [MODEL]}))
    assert config.models[0].model_package_group_name == "Churn-Prod-penguins"


@pytest.mark.parametrize(("change", "field"), [
    ({"stack_name": "1bad"}, "stack_name:"),
    ({"region": "mars"}, "region:"),
    ({"account": "12345"}, "account:"),
    ({"poll_seconds": 0}, "poll_seconds:"),
    ({"poll_seconds": 3601}, "poll_seconds:"),
    ({"models": []}, "models:"),
    ({"surprise": 1}, "surprise:"),
    ({"models": [{**MODEL, "name": "Penguins"}]}, "models[0].name:"),
    ({"models": [{**MODEL, "target": ""}]}, "models[0].target:"),
    ({"models": [{**MODEL, "problem_type": "clustering"}]}, "models[0].problem_type:"),
    ({"models": [{**MODEL, "estimator": "svm"}]}, "models[0].estimator:"),
    ({"models": [{**MODEL, "test_size": 0.9}]}, "models[0].test_size:"),
    ({"models": [{**MODEL, "random_seed": "x"}]}, "models[0].random_seed:"),
    ({"models": [{**MODEL, "training": {"instance_count": 0}}]}, "models[0].training.instance_count:"),
    ({"models": [{**MODEL, "processing": {"instance_type": "m5.large"}}]}, "models[0].processing.instance_type:"),
    ({"models": [{**MODEL, "approval": "sometimes"}]}, "models[0].approval:"),
    ({"models": [{**MODEL, "model_package_group_name": "other"}]}, "models[0].model_package_group_name:"),
    ({"models": [{**MODEL, "hyperparameters": {"n": [1]}}]}, "models[0].hyperparameters:"),
    ({"models": [{**MODEL, "hyperparameters": {"target": "x"}}]}, "models[0].hyperparameters:"),
    ({"models": [{**MODEL, "hyperparameters": {"sagemaker_program": "x"}}]}, "models[0].hyperparameters:"),
    ({"models": [{**MODEL, "unknown": 1}]}, "models[0].unknown:"),
])
def test_each_bad_field_is_named(tmp_path, change, field):
    assert f": {field}" in error_of(tmp_path, {"models": [MODEL], **change})


def test_the_problem_type_message_matches_the_contract(tmp_path):
    message = error_of(tmp_path, {"models": [{**MODEL, "problem_type": "x"}]})
    assert message.endswith("models[0].problem_type: Input should be 'classification' or 'regression'")


def test_duplicate_model_names_are_rejected(tmp_path):
    message = error_of(tmp_path, {"models": [MODEL, {**MODEL, "target": "island"}]})
    assert "models: duplicate model name 'penguins'" in message


def test_a_missing_model_field_is_named(tmp_path):
    message = error_of(tmp_path, {"models": [{"name": "x", "problem_type": "regression"}]})
    assert "models[0].target: Field required" in message


def test_bad_json_names_the_file_and_the_position(tmp_path):
    message = error_of(tmp_path, '{"models": [}')
    assert "invalid JSON at line 1 column" in message


def test_a_json_array_is_not_a_config(tmp_path):
    assert "top level must be a JSON object" in error_of(tmp_path, "[]")


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_config(tmp_path / "absent.json")


def test_overrides_are_validated_and_named_by_their_source():
    config = parse_config({"models": [MODEL]})
    assert apply_overrides(config, {"poll_seconds": "5"}, source="context").poll_seconds == 5
    with pytest.raises(ConfigError, match="^context: poll_seconds:"):
        apply_overrides(config, {"poll_seconds": -1}, source="context")


def test_the_settings_document_matches_the_contract():
    config = parse_config({"models": [{**MODEL, "hyperparameters": {"max_depth": 5, "bootstrap": False,
                                                                    "criterion": "gini", "ccp_alpha": 0.01}}]})
    document = config.models[0].settings_document(region="us-east-1", submit_directory="s3://b/k.tar.gz")
    assert document == {
        "model": "penguins", "target": "species", "problem_type": "classification",
        "test_size": 0.2, "random_seed": 42,
        "model_package_group": "MlopsStack-penguins", "approval_status": "Approved",
        "training": {"instance_type": "ml.m5.large", "instance_count": 1, "volume_size_gb": 30,
                     "max_runtime_seconds": 3600},
        "processing": {"instance_type": "ml.m5.large", "instance_count": 1, "volume_size_gb": 30,
                       "max_runtime_seconds": 3600},
        "hyperparameters": {
            "sagemaker_program": '"train.py"',
            "sagemaker_submit_directory": '"s3://b/k.tar.gz"',
            "sagemaker_container_log_level": "20",
            "sagemaker_region": '"us-east-1"',
            "target": "species", "problem-type": "classification", "estimator": "random_forest",
            "random-seed": "42",
            "max_depth": "5", "bootstrap": "false", "criterion": "gini", "ccp_alpha": "0.01",
        },
        "tuning": {"enabled": False},
        "gate": {"metric": "accuracy", "threshold": 0.5, "tolerance": 0.01},
        "validation": ValidationConfig().settings_block(),
        "serving": config.models[0].serving.settings_block(),  # tests/config/test_serving_config.py
        "monitoring": document["monitoring"],  # tests/config/test_monitoring_config.py
    }


def test_manual_approval_registers_models_pending():
    config = parse_config({"models": [{**MODEL, "approval": "manual"}]})
    assert config.models[0].settings_document(region="eu-west-1", submit_directory="s")["approval_status"] == (
        "PendingManualApproval")


def test_the_bundled_production_config_deploys_by_canary_after_a_person_approves():
    """config/prod.json is what the CD workflow's production job deploys (.github/workflows/cd.yml)."""
    prod, dev = (load_config(REPO_ROOT / "config" / name) for name in ("prod.json", "dev.json"))
    assert prod.stack_name != dev.stack_name  # both stages may share an account
    assert prod.network.vpc.enabled
    [model] = prod.models
    assert model.approval == "manual"
    assert (model.serving.strategy, model.serving.instance_count) == ("canary", 2)
    assert model.monitoring.enabled and model.monitoring.retraining.on_alarm


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_a_seed_numpy_refuses_is_named(tmp_path, seed):
    message = error_of(tmp_path, {"models": [{**MODEL, "random_seed": seed}]})
    assert "models[0].random_seed: Input should be" in message
