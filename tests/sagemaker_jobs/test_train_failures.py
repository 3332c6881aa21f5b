"""sagemaker_jobs/train.py failures: a one-paragraph reason in $SM_OUTPUT_DIR/failure, exit 1."""
from __future__ import annotations

from sagemaker_jobs import train


def test_missing_target_column_names_it_and_the_columns(run_train, penguins):
    result = run_train(penguins, "--target", "Species")
    assert result.code == 1
    assert "Target column 'Species' is not in the training data" in result.failure
    assert "species, island, bill_length_mm" in result.failure


def test_failure_reason_is_one_paragraph(run_train, penguins):
    failure = run_train(penguins, "--target", "nope").failure
    assert failure.endswith("\n") and "\n" not in failure.rstrip("\n")


def test_missing_target_argument_is_reported(run_train, penguins):
    assert "--target hyperparameter is required" in run_train(penguins).failure


def test_unknown_estimator_lists_the_known_ones(run_train, penguins):
    result = run_train(penguins, "--target", "species", "--estimator", "xgboost")
    assert result.code == 1
    assert "Unknown estimator 'xgboost'" in result.failure
    assert "gradient_boosting, linear, random_forest" in result.failure


def test_unknown_estimator_parameter_is_named(run_train, penguins):
    result = run_train(penguins, "--target", "species", "--estimator", "linear", "--max-depth", "3")
    assert result.code == 1
    assert "'linear' (LogisticRegression) has no parameter(s) max_depth" in result.failure


def test_invalid_parameter_value_is_reported_by_name(run_train, penguins):
    result = run_train(penguins, "--target", "species", "--n-estimators", "many")
    assert result.code == 1
    assert "'n_estimators' parameter of RandomForestClassifier" in result.failure


def test_empty_training_file_is_reported(run_train, folders):
    (folders.train / "train.csv").write_text("species,island\n")
    result = run_train(None, "--target", "species")
    assert result.code == 1
    assert "Only 0 training rows have a value for 'species'" in result.failure


def test_channel_without_csv_is_reported(run_train, folders):
    result = run_train(None, "--target", "species")
    assert result.code == 1
    assert f"no CSV files found in {folders.train}" in result.failure


def test_single_class_target_is_reported(run_train, penguins):
    result = run_train(penguins[penguins.species == "Adelie"], "--target", "species")
    assert "has a single class ('Adelie')" in result.failure


def test_text_target_for_regression_is_reported(run_train, penguins):
    result = run_train(penguins, "--target", "island", "--problem-type", "regression")
    assert "Regression target 'island' has non-numeric values" in result.failure


def test_bad_problem_type_is_reported(run_train, penguins):
    result = run_train(penguins, "--target", "species", "--problem-type", "clustering")
    assert "must be classification or regression, got 'clustering'" in result.failure


def test_hyperparameter_without_value_is_reported(run_train, penguins):
    result = run_train(penguins, "--target", "species", "--max-depth")
    assert "Hyperparameter --max-depth has no value" in result.failure


def test_headers_that_differ_between_files_are_reported(run_train, folders, penguins):
    penguins.to_csv(folders.train / "a.csv", index=False)
    penguins.drop(columns="year").to_csv(folders.train / "b.csv", index=False)
    result = run_train(None, "--target", "species")
    assert "all CSVs must share one header" in result.failure


def test_failure_goes_to_sm_output_dir_when_arguments_are_unusable(monkeypatch, tmp_path):
    monkeypatch.setenv("SM_OUTPUT_DIR", str(tmp_path))
    assert train.main(["--target"]) == 1
    assert "argument --target: expected one argument" in (tmp_path / "failure").read_text()
