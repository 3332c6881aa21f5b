"""sagemaker_jobs/evaluate.py: Model Monitor model-quality report for the test split."""
from __future__ import annotations

import json
import math
import re
import tarfile

import joblib
import pandas as pd
import pytest
from sklearn import metrics

from sagemaker_jobs import evaluate


def run_evaluation(model_dir, test_dir, output_dir) -> dict:
    code = evaluate.main(["--model-dir", str(model_dir), "--test-dir", str(test_dir),
                          "--output-dir", str(output_dir)])
    assert code == 0
    return json.loads((output_dir / "evaluation.json").read_text())


def direct_predictions(model):
    """The test split scored straight through joblib and pandas, bypassing evaluate.py."""
    card = json.loads((model.model / "model_card.json").read_text())
    pipeline = joblib.load(model.model / "model.joblib")
    test = pd.read_csv(model.test / "test.csv")
    X = test[[f["name"] for f in card["features"]]]
    return pipeline, X, test[card["target"]]


def test_multiclass_metrics_equal_sklearn(penguins_model, tmp_path):
    report = run_evaluation(penguins_model.model, penguins_model.test, tmp_path)
    pipeline, X, y = direct_predictions(penguins_model)
    predicted = pipeline.predict(X)
    section = report["multiclass_classification_metrics"]
    assert section["accuracy"]["value"] == pytest.approx(metrics.accuracy_score(y, predicted))
    for name, function in [("weighted_precision", metrics.precision_score),
                           ("weighted_recall", metrics.recall_score),
                           ("weighted_f1", metrics.f1_score)]:
        expected = function(y, predicted, average="weighted", zero_division=0)
        assert section[name]["value"] == pytest.approx(expected), name


def test_confusion_matrix_equals_sklearn(penguins_model, tmp_path):
    report = run_evaluation(penguins_model.model, penguins_model.test, tmp_path)
    pipeline, X, y = direct_predictions(penguins_model)
    labels = ["Adelie", "Chinstrap", "Gentoo"]
    expected = metrics.confusion_matrix(y, pipeline.predict(X), labels=labels)
    matrix = report["multiclass_classification_metrics"]["confusion_matrix"]
    assert [[matrix[a][p] for p in labels] for a in labels] == expected.tolist()


def test_report_has_the_model_monitor_envelope(penguins_model, tmp_path):
    report = run_evaluation(penguins_model.model, penguins_model.test, tmp_path)
    assert report["version"] == 0.0
    assert report["dataset"]["item_count"] == len(pd.read_csv(penguins_model.test / "test.csv"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", report["dataset"]["evaluation_time"])
    assert (report["problem_type"], report["target"]) == ("classification", "species")
    assert report["multiclass_classification_metrics"]["accuracy"]["standard_deviation"] == "NaN"


def test_binary_metrics_and_auc_equal_sklearn(cancer_model, tmp_path):
    report = run_evaluation(cancer_model.model, cancer_model.test, tmp_path)
    pipeline, X, y = direct_predictions(cancer_model)
    predicted = pipeline.predict(X).astype(int)
    section = report["binary_classification_metrics"]
    assert section["precision"]["value"] == pytest.approx(metrics.precision_score(y, predicted))
    assert section["recall"]["value"] == pytest.approx(metrics.recall_score(y, predicted))
    assert section["f1"]["value"] == pytest.approx(metrics.f1_score(y, predicted))
    assert section["auc"]["value"] == pytest.approx(
        metrics.roc_auc_score(y, pipeline.predict_proba(X)[:, 1]))
    assert section["confusion_matrix"]["1"]["1"] == int(((y == 1) & (predicted == 1)).sum())


def test_regression_metrics_equal_sklearn(diabetes_model, tmp_path):
    report = run_evaluation(diabetes_model.model, diabetes_model.test, tmp_path)
    pipeline, X, y = direct_predictions(diabetes_model)
    predicted = pipeline.predict(X)
    section = report["regression_metrics"]
    assert section["mae"]["value"] == pytest.approx(metrics.mean_absolute_error(y, predicted))
    assert section["mse"]["value"] == pytest.approx(metrics.mean_squared_error(y, predicted))
    assert section["rmse"]["value"] == pytest.approx(math.sqrt(metrics.mean_squared_error(y, predicted)))
    assert section["r2"]["value"] == pytest.approx(metrics.r2_score(y, predicted))


def test_model_tar_gz_is_extracted(penguins_model, tmp_path):
    packed = tmp_path / "model"
    packed.mkdir()
    with tarfile.open(packed / "model.tar.gz", "w:gz") as archive:
        for name in ("model.joblib", "model_card.json"):
            archive.add(penguins_model.model / name, arcname=name)
    report = run_evaluation(packed, penguins_model.test, tmp_path / "out")
    assert report["multiclass_classification_metrics"]["accuracy"]["value"] > 0.9


def test_test_metrics_are_printed(penguins_model, tmp_path, capsys):
    run_evaluation(penguins_model.model, penguins_model.test, tmp_path)
    assert re.search(r"test:accuracy=([-+0-9.eE]+)", capsys.readouterr().out)


def test_rows_without_target_are_not_scored(penguins_model, tmp_path):
    test = pd.read_csv(penguins_model.test / "test.csv")
    test.loc[:2, "species"] = None
    (tmp_path / "test").mkdir()
    test.to_csv(tmp_path / "test" / "test.csv", index=False)
    report = run_evaluation(penguins_model.model, tmp_path / "test", tmp_path / "out")
    assert report["dataset"]["item_count"] == len(test) - 3


def test_missing_feature_column_fails_naming_it(penguins_model, tmp_path, capsys):
    (tmp_path / "test").mkdir()
    test = pd.read_csv(penguins_model.test / "test.csv").drop(columns=["island"])
    test.to_csv(tmp_path / "test" / "test.csv", index=False)
    code = evaluate.main(["--model-dir", str(penguins_model.model), "--test-dir",
                          str(tmp_path / "test"), "--output-dir", str(tmp_path / "out")])
    assert code == 1
    assert "missing column(s): island" in capsys.readouterr().err


def test_missing_model_fails_with_a_reason(penguins_model, tmp_path, capsys):
    code = evaluate.main(["--model-dir", str(tmp_path), "--test-dir", str(penguins_model.test),
                          "--output-dir", str(tmp_path / "out")])
    assert code == 1
    assert "Neither model.joblib nor model.tar.gz found" in capsys.readouterr().err
