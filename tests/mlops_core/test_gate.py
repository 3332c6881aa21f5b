"""The evaluation gate: threshold and champion/challenger on Model Monitor reports."""

from __future__ import annotations

import pytest

from mlops_core.gate import GateError, GateSettings, check_settings, score
from mlops_core.gate_decision import Champion, decide

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/mlopsstack-penguins/3"


def _multiclass(accuracy: float, **extra: float) -> dict:
    metrics = {"accuracy": accuracy, **extra}
    return {"problem_type": "classification",
            "multiclass_classification_metrics": {k: {"value": v, "standard_deviation": "NaN"} for k, v in metrics.items()}}


def _regression(**metrics: float) -> dict:
    return {"problem_type": "regression",
            "regression_metrics": {k: {"value": v, "standard_deviation": "NaN"} for k, v in metrics.items()}}


def test_one_metric_name_reads_the_binary_or_the_multiclass_section():
    binary = {"problem_type": "classification", "binary_classification_metrics": {"f1": {"value": 0.8}}}
    assert score(binary, "f1") == 0.8
    assert score(_multiclass(0.9, weighted_f1=0.7), "f1") == 0.7


def test_a_metric_the_report_does_not_define_scores_none():
    assert score(_multiclass(0.9), "auc") is None


def test_no_champion_passes_on_the_threshold_alone():
    decision = decide(_multiclass(0.8), None, GateSettings("accuracy", 0.5))
    assert decision["passed"] is True
    assert decision["champion"] is None
    assert "no approved version" in decision["cause"]


def test_below_the_threshold_is_rejected_naming_score_and_minimum():
    decision = decide(_multiclass(0.41), None, GateSettings("accuracy", 0.5))
    assert decision["passed"] is False
    assert "0.41" in decision["cause"] and "minimum of 0.5" in decision["cause"]


def test_worse_than_the_champion_beyond_the_tolerance_is_rejected_with_both_scores():
    champion = Champion(ARN, 3, report=_multiclass(0.97))
    decision = decide(_multiclass(0.9), champion, GateSettings("accuracy", 0.5, tolerance=0.01))
    assert decision["passed"] is False
    assert "0.9," in decision["cause"] and "0.97" in decision["cause"] and "version 3" in decision["cause"]
    assert decision["champion"] == {"model_package_arn": ARN, "version": 3, "score": 0.97, "error": None}


def test_worse_within_the_tolerance_passes():
    champion = Champion(ARN, 3, report=_multiclass(0.97))
    assert decide(_multiclass(0.965), champion, GateSettings("accuracy", 0.5, tolerance=0.01))["passed"] is True


def test_error_metrics_are_better_when_lower():
    champion = Champion(ARN, 1, report=_regression(rmse=10.0))
    settings = GateSettings("rmse", 50.0, tolerance=1.0)
    assert decide(_regression(rmse=10.9), champion, settings)["passed"] is True
    rejected = decide(_regression(rmse=11.5), champion, settings)
    assert rejected["passed"] is False and "worse than" in rejected["cause"]
    above = decide(_regression(rmse=60.0), None, settings)
    assert "above the required maximum of 50" in above["cause"]


def test_a_champion_that_could_not_score_is_recorded_and_only_the_threshold_counts():
    champion = Champion(ARN, 2, error="missing column(s): island")
    decision = decide(_multiclass(0.6), champion, GateSettings("accuracy", 0.5))
    assert decision["passed"] is True
    assert "could not be scored" in decision["cause"] and "island" in decision["cause"]
    assert decision["metadata"]["ChampionScore"] == "not comparable"


def test_an_undefined_candidate_metric_is_rejected():
    decision = decide(_multiclass(0.9), None, GateSettings("auc", 0.5))
    assert decision["passed"] is False and "not defined" in decision["cause"]


def test_metadata_are_short_strings_for_customer_metadata_properties():
    decision = decide(_multiclass(0.9), Champion(ARN, 3, report=_multiclass(0.95)), GateSettings("accuracy", 0.5))
    metadata = decision["metadata"]
    assert metadata == {"GateDecision": "Rejected", "GateMetric": "accuracy", "GateThreshold": "0.5",
                        "GateTolerance": "0.01", "CandidateScore": "0.9", "ChampionScore": "0.95",
                        "ChampionModelPackage": ARN}
    assert all(isinstance(v, str) and len(v) <= 256 for v in metadata.values())


@pytest.mark.parametrize(("problem_type", "settings", "message"), [
    ("classification", GateSettings("rmse", 1.0), "does not apply to classification"),
    ("classification", GateSettings("accuracy", 1.5), "outside the range"),
    ("regression", GateSettings("mae", -1.0), "outside the range"),
    ("regression", GateSettings("r2", 0.0, tolerance=-0.1), "tolerance"),
])
def test_bad_settings_are_refused_naming_the_problem(problem_type, settings, message):
    with pytest.raises(GateError, match=message):
        check_settings(problem_type, settings)


def test_defaults_per_problem_type():
    assert GateSettings.default("classification") == GateSettings("accuracy", 0.5, 0.01)
    assert GateSettings.default("regression") == GateSettings("r2", 0.0, 0.01)
    assert GateSettings.from_dict({"metric": "f1"}, "classification") == GateSettings("f1", 0.5, 0.01)
