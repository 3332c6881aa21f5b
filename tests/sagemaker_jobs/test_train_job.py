"""sagemaker_jobs/train.py: script-mode training on any tabular CSV."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes

from sagemaker_jobs import train

FAST = ("--n-estimators", "30")


@pytest.fixture
def cancer() -> pd.DataFrame:
    return load_breast_cancer(as_frame=True).frame


@pytest.fixture
def diabetes() -> pd.DataFrame:
    return load_diabetes(as_frame=True).frame


def mixed_frame(rows: int = 120) -> pd.DataFrame:
    """Numbers with gaps, a categorical column with gaps, and a target that depends on both."""
    rng = np.random.default_rng(0)
    size = rng.normal(10, 3, rows)
    colour = rng.choice(["red", "green", "blue"], rows)
    label = np.where((size > 10) | (colour == "red"), "big", "small")
    frame = pd.DataFrame({"size": size, "colour": colour, "label": label})
    frame.loc[::7, "size"] = np.nan
    frame.loc[::11, "colour"] = np.nan
    return frame


# --- success: metrics ---------------------------------------------------------------------

def test_multiclass_prints_classification_metrics(run_train, penguins, metric):
    result = run_train(penguins, "--target", "species", "--problem-type", "classification", *FAST)
    assert result.code == 0
    assert metric(result.out, "validation:accuracy") > 0.9
    assert 0.9 < metric(result.out, "validation:f1") <= 1.0
    assert 0.9 < metric(result.out, "train:accuracy") <= 1.0


def test_binary_target_gives_two_string_classes(run_train, cancer):
    result = run_train(cancer, "--target", "target", "--problem-type", "classification", *FAST)
    assert result.card["classes"] == ["0", "1"]


def test_regression_prints_regression_metrics(run_train, diabetes, metric):
    result = run_train(diabetes, "--target", "target", "--problem-type", "regression", *FAST)
    assert metric(result.out, "validation:r2") > 0.2
    assert metric(result.out, "validation:rmse") >= metric(result.out, "validation:mae") > 0
    assert metric(result.out, "train:rmse") > 0
    assert "accuracy" not in result.out


def test_metrics_are_also_written_to_output_data(run_train, penguins, metric):
    result = run_train(penguins, "--target", "species", *FAST)
    saved = pd.read_json(result.folders.output_data / "metrics.json", typ="series")
    assert saved["validation:accuracy"] == pytest.approx(metric(result.out, "validation:accuracy"), abs=1e-6)


def test_problem_type_is_inferred_when_not_given(run_train, diabetes):
    assert run_train(diabetes, "--target", "target", *FAST).card["problem_type"] == "regression"


@pytest.mark.parametrize("estimator, problem_type, expected, fast", [
    ("gradient_boosting", "classification", "HistGradientBoostingClassifier", ("--max-iter", "20")),
    ("gradient_boosting", "regression", "HistGradientBoostingRegressor", ("--max-iter", "20")),
    ("linear", "classification", "LogisticRegression", ()),
    ("linear", "regression", "Ridge", ()),
])
def test_each_estimator_trains(run_train, penguins, estimator, problem_type, expected, fast):
    target = "species" if problem_type == "classification" else "body_mass_g"
    result = run_train(penguins, "--target", target, "--problem-type", problem_type,
                       "--estimator", estimator, *fast)
    assert (result.code, result.card["estimator_class"]) == (0, expected)


# --- success: the model card and the data rules --------------------------------------------

def test_model_card_describes_the_penguins_model(run_train, penguins):
    card = run_train(penguins, "--target", "species", *FAST, "--sagemaker_program", '"train.py"').card
    assert card["target"] == "species" and card["estimator"] == "random_forest"
    assert {f["name"]: f["type"] for f in card["features"]} == {
        "island": "categorical", "sex": "categorical", "bill_length_mm": "numeric",
        "bill_depth_mm": "numeric", "flipper_length_mm": "numeric", "body_mass_g": "numeric",
        "year": "numeric",
    }
    assert card["classes"] == ["Adelie", "Chinstrap", "Gentoo"]
    assert card["training_rows"] == 344
    assert card["hyperparameters"] == {"n_estimators": 30}
    assert card["library_versions"]["scikit-learn"] == sklearn.__version__


def test_model_file_is_written(run_train, penguins):
    result = run_train(penguins, "--target", "species", *FAST)
    assert (result.folders.model / "model.joblib").stat().st_size > 0


def test_missing_values_and_categories_are_handled(run_train, metric):
    result = run_train(mixed_frame(), "--target", "label", *FAST)
    assert result.code == 0
    assert metric(result.out, "validation:accuracy") > 0.7


def test_rows_without_target_are_dropped_and_logged(run_train, penguins, caplog):
    penguins.loc[:4, "species"] = np.nan
    card = run_train(penguins, "--target", "species", *FAST).card
    assert card["training_rows"] == 339
    assert "Dropped 5 of 344 rows whose target 'species' is missing" in caplog.text


def test_fully_empty_column_is_ignored(run_train, penguins):
    penguins["comment"] = np.nan
    card = run_train(penguins, "--target", "species", *FAST).card
    assert "comment" not in [f["name"] for f in card["features"]]
    assert card["dropped_columns"] == {"comment": "every value is missing"}


def test_identifier_like_text_column_is_ignored(run_train, penguins):
    penguins["tag"] = [f"penguin-{i}" for i in range(len(penguins))]
    card = run_train(penguins, "--target", "species", *FAST).card
    assert "identifier" in card["dropped_columns"]["tag"]


def test_every_csv_in_the_channel_is_read(run_train, folders, penguins):
    penguins.iloc[:200].to_csv(folders.train / "part-1.csv", index=False)
    penguins.iloc[200:].to_csv(folders.train / "part-2.csv", index=False)
    assert run_train(None, "--target", "species", *FAST).card["training_rows"] == 344


# --- arguments ---------------------------------------------------------------------------

def test_paths_default_to_the_sagemaker_environment(monkeypatch, tmp_path):
    for name, folder in [("SM_CHANNEL_TRAIN", "train"), ("SM_MODEL_DIR", "model"),
                         ("SM_OUTPUT_DATA_DIR", "data"), ("SM_OUTPUT_DIR", "out")]:
        monkeypatch.setenv(name, str(tmp_path / folder))
    args = train.parse_args(["--target", "y"])
    assert (args.train, args.model_dir, args.output_data_dir, args.output_dir) == tuple(
        str(tmp_path / f) for f in ("train", "model", "data", "out"))


def test_other_arguments_become_coerced_estimator_parameters():
    args = train.parse_args([
        "--target", "y", "--sagemaker_program", '"train.py"', "--sagemaker_region", '"us-east-1"',
        "--max-depth", "3", "--bootstrap", "false", "--class_weight", '"balanced"',
        "--max-samples=0.5", "--max-leaf-nodes", "none", "--min_impurity_decrease", "",
    ])
    assert args.params == {"max_depth": 3, "bootstrap": False, "class_weight": "balanced",
                           "max_samples": 0.5, "max_leaf_nodes": None, "min_impurity_decrease": None}


def test_one_letter_parameters_use_a_single_dash():
    """The training toolkit writes one-letter names as `-C`, LogisticRegression's C among them."""
    args = train.parse_args(["--target", "y", "--estimator", "linear", "-C", "0.5", "--tol", "-1e-4"])
    assert args.params == {"C": 0.5, "tol": -1e-4}


def test_known_arguments_accept_underscore_spelling():
    args = train.parse_args(["--target", "y", "--problem_type", "regression", "--random_seed", "7"])
    assert (args.problem_type, args.random_seed, args.params) == ("regression", "7", {})
