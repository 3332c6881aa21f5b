"""check_constraints: each violation fires on the right column, and only there."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from mlops_core.data_quality import (
    check_constraints,
    compute_statistics,
    feature_distances,
    suggest_constraints,
)


@pytest.fixture
def contract(customers):
    baseline = compute_statistics(customers)
    return baseline, suggest_constraints(baseline)


def _check(frame: pd.DataFrame, contract) -> list[dict]:
    baseline, constraints = contract
    return check_constraints(compute_statistics(frame), constraints, baseline=baseline)["violations"]


def _fired(violations: list[dict]) -> set[tuple[str, str]]:
    return {(item["feature_name"], item["constraint_check_type"]) for item in violations}


def test_a_fresh_sample_of_the_same_data_passes(customers, contract):
    assert _check(customers.sample(frac=0.5, random_state=1), contract) == []


def test_a_numeric_column_that_became_text_is_a_data_type_violation(customers, contract):
    frame = customers.astype({"age": object})
    frame.loc[frame.index[:40], "age"] = "unknown"
    violations = _check(frame, contract)
    assert _fired(violations) == {("age", "data_type_check")}
    assert violations[0]["description"] == (
        "Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. "
        "Observed: Only 98.0% of data is Integral. Values that are not numbers include 'unknown'."
    )


def test_missing_and_extra_columns(customers, contract):
    frame = customers.drop(columns=["balance"]).assign(promo="x")
    violations = _check(frame, contract)
    assert _fired(violations) == {("balance", "missing_column_check"), ("promo", "extra_column_check")}
    assert all("'balance'" in item["description"] or "'promo'" in item["description"] for item in violations)


def test_a_column_now_all_missing_is_a_completeness_violation(customers, contract):
    violations = _check(customers.assign(income=np.nan), contract)
    assert _fired(violations) == {("income", "completeness_check")}
    assert "Expected completeness: 100.0%. Observed: Only 0.0% of data is present" in violations[0]["description"]
    assert "(2000 of 2000 rows have no value)" in violations[0]["description"]


def test_a_flood_of_unseen_categories(customers, contract):
    frame = customers.copy()
    frame.loc[frame.index[:300], "plan"] = [f"promo-{i % 7}" for i in range(300)]
    violations = _check(frame, contract)
    fired = _fired(violations)
    assert ("plan", "categorical_values_check") in fired
    assert {name for name, _ in fired} == {"plan"}
    message = next(v["description"] for v in violations if v["constraint_check_type"] == "categorical_values_check")
    assert "among the 3 values seen in the baseline. Observed: only 85.0%" in message
    assert "'promo-0'" in message


def test_negative_values_where_the_baseline_had_none(customers, contract):
    frame = customers.copy()
    frame.loc[frame.index[0], "income"] = -5.0
    assert _fired(_check(frame, contract)) == {("income", "non_negative_check")}


def test_a_shifted_distribution_is_baseline_drift_in_model_monitor_wording(customers, contract):
    violations = _check(customers.assign(balance=customers["balance"] + 80), contract)
    assert _fired(violations) == {("balance", "baseline_drift_check")}
    match = re.fullmatch(r"distance: (\S+) exceeds threshold: (\S+)", violations[0]["description"])
    assert match and float(match.group(1)) > 0.1 and match.group(2) == "0.1"


def test_categorical_drift(customers, contract):
    frame = customers.assign(plan=np.random.default_rng(0).choice(["basic", "plus", "pro"], len(customers)))
    assert _fired(_check(frame, contract)) == {("plan", "baseline_drift_check")}


def test_chi_squared_drift_reports_a_p_value(customers):
    baseline = compute_statistics(customers)
    constraints = suggest_constraints(baseline, categorical_drift_method="ChiSquared", categorical_drift_threshold=0.01)
    frame = customers.assign(plan=np.random.default_rng(0).choice(["basic", "plus", "pro"], len(customers)))
    violations = check_constraints(compute_statistics(frame), constraints, baseline=baseline)["violations"]
    assert _fired(violations) == {("plan", "baseline_drift_check")}
    assert re.fullmatch(r"p-value: \S+ is below threshold: 0.01", violations[0]["description"])


def test_without_a_baseline_there_is_no_drift_check(customers, contract):
    _, constraints = contract
    shifted = compute_statistics(customers.assign(balance=customers["balance"] + 80))
    assert check_constraints(shifted, constraints)["violations"] == []


def test_disabled_comparison_and_evaluation(customers, contract):
    baseline, constraints = contract
    constraints["monitoring_config"]["distribution_constraints"]["perform_comparison"] = "Disabled"
    constraints["monitoring_config"]["evaluate_constraints"] = "Disabled"
    frame = customers.assign(balance=customers["balance"] + 80, income=np.nan)
    assert check_constraints(compute_statistics(frame), constraints, baseline=baseline)["violations"] == []


def test_feature_distances_cover_every_comparable_feature(customers, contract):
    baseline, constraints = contract
    distances = feature_distances(compute_statistics(customers), baseline, constraints)
    assert set(distances) == {"age", "income", "balance", "plan", "customer_id"}
    assert all(value == 0.0 for value in distances.values())


def test_all_three_files_survive_a_json_round_trip(customers, contract):
    baseline, constraints = contract
    current = compute_statistics(customers.assign(balance=customers["balance"] + 80))
    violations = check_constraints(current, constraints, baseline=baseline)
    documents = (baseline, constraints, current, violations)
    restored = [json.loads(json.dumps(document, allow_nan=False)) for document in documents]
    assert restored == [baseline, constraints, current, violations]
    assert check_constraints(restored[2], restored[1], baseline=restored[0]) == violations
