"""Issue 3's corpus of bad training data, each file uploaded as a user would, each its own run
in the embedded cloud, after a good batch established the model's data contract: every one
fails with DataValidationFailed and a cause naming its check and column, and nothing is
trained or registered. A good second batch passes and trains."""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import settings_parameter
from tests.e2e_contracts.corpus import bad_inputs, good_second_batch
from tests.e2e_contracts.runs import read_s3, run_all, training_jobs_of

pytestmark = pytest.mark.e2e
MODEL = "penguins"
MAX_FIELD_BYTES = 65536  # contracts.json
VALIDATION_STATES = {"ValidationRoute", "ValidateData", "JudgeDataProfile", "CreateValidationJob",
                     "DescribeValidationJob"}
CORPUS = bad_inputs(open(__file__.rsplit("/tests/", 1)[0] + "/data/penguins.csv", "rb").read(),
                    max_field_bytes=MAX_FIELD_BYTES)


def _slug(name: str) -> str:
    return name.replace(" ", "-").replace("/", "-")


@pytest.fixture(scope="module")
def established(stack, penguins_csv):
    ((_, summary),) = run_all(stack, {"first": (f"datasets/{MODEL}/first.csv", penguins_csv)}).values()
    # What follows validation is other stages' business (the good second batch asserts the
    # whole run); here the data must have been accepted.
    assert summary.error != "DataValidationFailed", summary.cause
    assert summary.failed_state not in VALIDATION_STATES, (summary.failed_state, summary.error, summary.cause)
    return summary


@pytest.fixture(scope="module")
def group(stack) -> str:
    return settings_parameter(stack, MODEL)["model_package_group"]


@pytest.fixture(scope="module")
def rejected(stack, established, group):
    packages_before = len(stack.model_packages(group))
    runs = run_all(stack, {name: (f"datasets/{MODEL}/bad-{_slug(name)}.csv", bad.body) for name, bad in CORPUS.items()})
    return runs, packages_before


def test_the_first_accepted_dataset_establishes_the_contract(stack, established):
    paths = established.input["paths"]
    constraints = json.loads(read_s3(stack, paths["data_contract"] + "constraints.json"))
    assert {f["name"] for f in constraints["features"]} == {
        "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"}
    assert read_s3(stack, paths["data_summary"]).decode().startswith("# Data validation: accepted")
    baseline = json.loads(read_s3(stack, paths["data_contract"] + "statistics.json"))
    assert baseline["dataset"]["item_count"] == 344


@pytest.mark.parametrize("name", CORPUS, ids=[_slug(n) for n in CORPUS])
def test_bad_input_fails_validation_naming_check_and_column(rejected, name):
    runs, _ = rejected
    _, summary = runs[name]
    expected = CORPUS[name]
    assert (summary.status, summary.error) == ("FAILED", "DataValidationFailed"), summary.cause
    assert f"[{expected.check}]" in summary.cause
    if expected.column is not None:
        assert f"[{expected.check}] column '{expected.column}'" in summary.cause


@pytest.mark.parametrize("name", CORPUS, ids=[_slug(n) for n in CORPUS])
def test_bad_input_trains_and_registers_nothing(stack, rejected, group, name):
    runs, packages_before = rejected
    _, summary = runs[name]
    assert training_jobs_of(stack, summary) == []
    assert "prepare" not in summary.output and "PrepareData" != summary.failed_state
    assert len(stack.model_packages(group)) == packages_before


def test_a_rejected_run_leaves_its_reports_next_to_the_data_version(stack, rejected):
    runs, _ = rejected
    _, summary = runs["flood of unseen categories"]
    paths = summary.input["paths"]
    violations = json.loads(read_s3(stack, paths["data_violations"]))["violations"]
    assert {"feature_name": "island", "constraint_check_type": "categorical_values_check"}.items() <= violations[0].items()
    report = read_s3(stack, paths["data_summary"]).decode()
    assert report.startswith("# Data validation: REJECTED") and "categorical_values_check" in report
    statistics = json.loads(read_s3(stack, paths["data_statistics"]))
    assert statistics["dataset"]["item_count"] == 344
    suggested = json.loads(read_s3(stack, paths["data_constraints"]))
    assert "monitoring_config" in suggested


def test_a_good_second_batch_passes_and_trains(stack, established, group, penguins_csv):
    before = len(stack.model_packages(group))
    ((_, summary),) = run_all(stack, {"second": (f"datasets/{MODEL}/second.csv", good_second_batch(penguins_csv))}).values()
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    validation = summary.output["validation"]
    assert validation["valid"] and validation["contract"]["origin"] == "established"
    assert len(stack.model_packages(group)) == before + 1
