"""evaluate.py re-scores the approved version (champion) on the same test rows and writes the
gate decision; multiclass reports gain one-vs-rest ROC AUC."""
from __future__ import annotations

import json
import shutil

import joblib
import pandas as pd
import pytest
from sklearn import metrics

from sagemaker_jobs import evaluate, train
from tests.sagemaker_jobs.conftest import FAST, PENGUINS_CSV, job_folders, train_args

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/mlopsstack-penguins/1"


def _evaluate(model, test_dir, out, *extra: str) -> int:
    return evaluate.main(["--model-dir", str(model), "--test-dir", str(test_dir), "--output-dir", str(out), *extra])


def _read(out, name: str) -> dict:
    return json.loads((out / name).read_text())


@pytest.fixture(scope="module")
def stump(tmp_path_factory, penguins_model):
    """A real but much weaker penguins model: one tree of depth 1, trained on the same rows."""
    folders = job_folders(tmp_path_factory.mktemp("stump"))
    shutil.copy(penguins_model.train / "train.csv", folders.train / "train.csv")
    assert train.main(train_args(folders, "--target", "species", "--problem-type", "classification",
                                 "--n-estimators", "1", "--max-depth", "1")) == 0
    return folders.model


def _champion_args(model_dir, version: int = 1) -> list[str]:
    return ["--champion-dir", str(model_dir),
            "--champion", json.dumps({"model_package_arn": ARN, "version": version})]


def test_multiclass_report_has_one_vs_rest_weighted_auc_equal_to_sklearn(penguins_model, tmp_path):
    assert _evaluate(penguins_model.model, penguins_model.test, tmp_path) == 0
    card = json.loads((penguins_model.model / "model_card.json").read_text())
    pipeline = joblib.load(penguins_model.model / "model.joblib")
    test = pd.read_csv(penguins_model.test / "test.csv")
    expected = metrics.roc_auc_score(test["species"], pipeline.predict_proba(test[[f["name"] for f in card["features"]]]),
                                     multi_class="ovr", average="weighted", labels=list(pipeline.classes_))
    auc = _read(tmp_path, "evaluation.json")["multiclass_classification_metrics"]["weighted_auc"]["value"]
    assert auc == pytest.approx(expected)


def test_without_a_champion_the_gate_checks_the_threshold_only(penguins_model, tmp_path):
    assert _evaluate(penguins_model.model, penguins_model.test, tmp_path) == 0
    gate = _read(tmp_path, "gate.json")
    assert gate["passed"] is True and gate["champion"] is None
    assert (gate["metric"], gate["threshold"]) == ("accuracy", 0.5)  # the classification defaults
    assert not (tmp_path / "champion_evaluation.json").exists()


def test_a_weaker_candidate_is_rejected_against_the_champion_with_both_scores(penguins_model, stump, tmp_path):
    assert _evaluate(stump, penguins_model.test, tmp_path, *_champion_args(penguins_model.model)) == 0
    gate = _read(tmp_path, "gate.json")
    candidate = _read(tmp_path, "evaluation.json")["multiclass_classification_metrics"]["accuracy"]["value"]
    champion = _read(tmp_path, "champion_evaluation.json")["multiclass_classification_metrics"]["accuracy"]["value"]
    assert champion - candidate > 0.01
    assert gate["passed"] is False
    assert (gate["candidate"]["score"], gate["champion"]["score"]) == (candidate, champion)
    assert f"{candidate:.4f}".rstrip("0") in gate["cause"] and f"{champion:.4f}".rstrip("0") in gate["cause"]
    assert gate["metadata"]["GateDecision"] == "Rejected"


def test_the_champion_is_scored_on_exactly_the_candidates_test_rows(penguins_model, stump, tmp_path):
    assert _evaluate(stump, penguins_model.test, tmp_path, *_champion_args(penguins_model.model)) == 0
    champion = _read(tmp_path, "champion_evaluation.json")
    pipeline = joblib.load(penguins_model.model / "model.joblib")
    test = pd.read_csv(penguins_model.test / "test.csv")
    expected = metrics.accuracy_score(test["species"], pipeline.predict(test.drop(columns=["species"])))
    assert champion["multiclass_classification_metrics"]["accuracy"]["value"] == pytest.approx(expected)
    assert champion["dataset"]["item_count"] == len(test)


def test_an_equal_candidate_passes(penguins_model, tmp_path):
    args = _champion_args(penguins_model.model, version=4)
    assert _evaluate(penguins_model.model, penguins_model.test, tmp_path, *args) == 0
    gate = _read(tmp_path, "gate.json")
    assert gate["passed"] is True and gate["champion"]["version"] == 4
    assert gate["candidate"]["score"] == gate["champion"]["score"]


def test_the_configured_threshold_rejects(penguins_model, stump, tmp_path):
    gate_config = json.dumps({"metric": "f1", "threshold": 0.99, "tolerance": 0.0})
    assert _evaluate(stump, penguins_model.test, tmp_path, "--gate", gate_config) == 0
    gate = _read(tmp_path, "gate.json")
    assert (gate["passed"], gate["metric"]) == (False, "f1")
    assert "below the required minimum of 0.99" in gate["cause"]


def test_a_champion_that_needs_a_missing_column_is_not_comparable(penguins_model, tmp_path):
    folders = job_folders(tmp_path / "wider")
    frame = pd.read_csv(PENGUINS_CSV).assign(ring_id=range(344))
    frame.to_csv(folders.train / "train.csv", index=False)
    assert train.main(train_args(folders, "--target", "species", *FAST)) == 0
    out = tmp_path / "out"
    assert _evaluate(penguins_model.model, penguins_model.test, out, *_champion_args(folders.model, 2)) == 0
    gate = _read(out, "gate.json")
    assert gate["passed"] is True
    assert "ring_id" in gate["champion"]["error"] and "could not be scored" in gate["cause"]


def test_regression_gate_on_an_error_metric(diabetes_model, tmp_path):
    gate_config = json.dumps({"metric": "rmse", "threshold": 1.0})
    assert _evaluate(diabetes_model.model, diabetes_model.test, tmp_path, "--gate", gate_config) == 0
    gate = _read(tmp_path, "gate.json")
    assert gate["passed"] is False and gate["higher_is_better"] is False
    assert "above the required maximum of 1" in gate["cause"]


def test_a_gate_metric_that_does_not_fit_the_problem_fails_naming_it(penguins_model, tmp_path, capsys):
    code = _evaluate(penguins_model.model, penguins_model.test, tmp_path, "--gate", '{"metric": "rmse"}')
    assert code == 1
    assert "metric 'rmse' does not apply to classification" in capsys.readouterr().err
