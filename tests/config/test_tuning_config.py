"""The `tuning` block of a model config: off by default, good defaults per estimator and
problem type, errors naming the field, and the HyperParameterTuningJobConfig it renders."""

from __future__ import annotations

import pytest

from mlops.config import ConfigError, parse_config

MODEL = {"name": "penguins", "target": "species", "problem_type": "classification"}


def _tuning(**model) -> dict:
    config = parse_config({"models": [{**MODEL, **model}]}, source="stage.json")
    return config.models[0].settings_document(region="us-east-1", submit_directory="s3://b/k")["tuning"]


def _error(**model) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config({"models": [{**MODEL, **model}]}, source="stage.json")
    return str(caught.value)


def test_tuning_is_off_by_default():
    assert _tuning() == {"enabled": False}


def test_enabled_tuning_defaults_to_bayesian_on_validation_accuracy():
    config = _tuning(tuning={"enabled": True})["config"]
    assert config["Strategy"] == "Bayesian"
    assert config["HyperParameterTuningJobObjective"] == {"Type": "Maximize", "MetricName": "validation:accuracy"}
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 10, "MaxParallelTrainingJobs": 2}
    assert config["TrainingJobEarlyStoppingType"] == "Off" and config["RandomSeed"] == 42
    ranges = config["ParameterRanges"]
    assert {r["Name"] for r in ranges["IntegerParameterRanges"]} == {"n_estimators", "max_depth", "min_samples_leaf"}
    assert all(isinstance(r["MinValue"], str) for r in ranges["IntegerParameterRanges"])  # SageMaker's shape


def test_regression_minimises_validation_rmse_and_each_estimator_has_its_own_space():
    config = _tuning(problem_type="regression", target="body_mass_g", estimator="linear",
                     tuning={"enabled": True})["config"]
    assert config["HyperParameterTuningJobObjective"] == {"Type": "Minimize", "MetricName": "validation:rmse"}
    assert config["ParameterRanges"]["ContinuousParameterRanges"] == [
        {"Name": "alpha", "MinValue": "0.001", "MaxValue": "100.0", "ScalingType": "Logarithmic"}]
    boosting = _tuning(estimator="gradient_boosting", tuning={"enabled": True})["config"]["ParameterRanges"]
    assert "learning_rate" in {r["Name"] for r in boosting["ContinuousParameterRanges"]}


def test_fixed_hyperparameters_are_left_out_of_the_default_search_space():
    ranges = _tuning(hyperparameters={"max_depth": 4}, tuning={"enabled": True})["config"]["ParameterRanges"]
    assert "max_depth" not in {r["Name"] for r in ranges["IntegerParameterRanges"]}


def test_explicit_ranges_objective_and_limits():
    config = _tuning(tuning={
        "enabled": True, "strategy": "Random", "objective_metric": "validation:f1", "max_jobs": 6,
        "max_parallel_jobs": 3, "early_stopping": "Auto",
        "parameter_ranges": {
            "n_estimators": {"type": "integer", "min": 10, "max": 50, "scaling": "Logarithmic"},
            "criterion": {"type": "categorical", "values": ["gini", "entropy"]},
            "bootstrap": {"type": "categorical", "values": [True, False]},
        }})["config"]
    assert config["Strategy"] == "Random" and config["TrainingJobEarlyStoppingType"] == "Auto"
    assert config["HyperParameterTuningJobObjective"]["MetricName"] == "validation:f1"
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 6, "MaxParallelTrainingJobs": 3}
    assert config["ParameterRanges"]["IntegerParameterRanges"] == [
        {"Name": "n_estimators", "MinValue": "10", "MaxValue": "50", "ScalingType": "Logarithmic"}]
    assert {r["Name"]: r["Values"] for r in config["ParameterRanges"]["CategoricalParameterRanges"]} == {
        "criterion": ["gini", "entropy"], "bootstrap": ["true", "false"]}


def test_grid_runs_every_combination_of_categorical_defaults():
    config = _tuning(estimator="linear", tuning={"enabled": True, "strategy": "Grid"})["config"]
    assert config["ResourceLimits"]["MaxNumberOfTrainingJobs"] == 4
    assert config["ParameterRanges"]["CategoricalParameterRanges"] == [{"Name": "C", "Values": ["0.01", "0.1", "1", "10"]}]


def test_hyperband_carries_its_strategy_config():
    config = _tuning(tuning={"enabled": True, "strategy": "Hyperband", "hyperband": {"max_resource": 50}})["config"]
    assert config["StrategyConfig"] == {"HyperbandStrategyConfig": {"MinResource": 1, "MaxResource": 50}}


@pytest.mark.parametrize(("tuning", "expected"), [
    ({"strategy": "Annealing"}, "models[0].tuning.strategy: Input should be 'Bayesian', 'Random', 'Grid' or 'Hyperband'"),
    ({"objective_metric": "validation:rmse"}, "models[0]: tuning.objective_metric: 'validation:rmse' is not printed"),
    ({"max_parallel_jobs": 0}, "models[0].tuning.max_parallel_jobs:"),
    ({"early_stopping": "On"}, "models[0].tuning.early_stopping:"),
    ({"parameter_ranges": {"max_depth": {"type": "integer", "min": 9, "max": 3}}},
     "models[0].tuning.parameter_ranges.max_depth.integer: max must be greater than min"),
    ({"parameter_ranges": {"C": {"type": "continuous", "min": 0, "max": 1, "scaling": "Logarithmic"}}},
     "Logarithmic scaling needs min > 0"),
    ({"parameter_ranges": {"k": {"type": "categorical", "values": ["a", "a"]}}}, "values must be distinct"),
    ({"parameter_ranges": {"target": {"type": "categorical", "values": ["a"]}}}, "'target' cannot be tuned"),
    ({"parameter_ranges": {}}, "give between 1 and 30 parameters"),
    ({"strategy": "Grid", "parameter_ranges": {"max_depth": {"type": "integer", "min": 1, "max": 3}}},
     "the Grid strategy takes categorical ranges only; max_depth"),
    ({"strategy": "Grid", "max_jobs": 3}, "tuning.max_jobs: Grid runs every combination (4)"),
    ({"strategy": "Hyperband", "early_stopping": "Auto"}, "Hyperband stops trials itself"),
    ({"parameter_ranges": {f"p{i}": {"type": "categorical", "values": [f"v{j}" * 8 for j in range(30)]}
                           for i in range(3)}}, "too large for the model's settings parameter"),
])
def test_bad_tuning_config_names_the_field(tuning, expected):
    message = _error(tuning={"enabled": True, **tuning})
    assert message.startswith("stage.json: ") and expected in message


def test_a_tuned_parameter_cannot_also_be_fixed():
    message = _error(hyperparameters={"max_depth": 3},
                     tuning={"enabled": True, "parameter_ranges": {"max_depth": {"type": "integer", "min": 2, "max": 9}}})
    assert "'max_depth' is also a fixed hyperparameter" in message
