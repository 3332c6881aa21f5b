"""suggest_constraints: Model Monitor's constraints.json from a baseline."""

import pytest

from mlops_core.data_quality import compute_statistics, suggest_constraints


def _by_name(constraints: dict) -> dict:
    return {item["name"]: item for item in constraints["features"]}


def test_types_completeness_and_non_negativity(customers):
    features = _by_name(suggest_constraints(compute_statistics(customers.assign(balance=None).iloc[:10])))
    assert features["age"] == {
        "name": "age", "inferred_type": "Integral", "completeness": 1.0, "num_constraints": {"is_non_negative": True}
    }
    assert features["balance"]["inferred_type"] == "Unknown" and features["balance"]["completeness"] == 0.0


def test_completeness_tolerance_relaxes_the_baseline_share(customers):
    frame = customers.assign(balance=customers["balance"].where(customers.index % 10 != 0))
    features = _by_name(suggest_constraints(compute_statistics(frame), completeness_tolerance=0.05))
    assert features["balance"]["completeness"] == pytest.approx(0.85)
    assert features["age"]["completeness"] == pytest.approx(0.95)


def test_domains_only_for_small_cardinality_text(customers):
    features = _by_name(suggest_constraints(compute_statistics(customers)))
    assert features["plan"]["string_constraints"] == {"domains": ["basic", "plus", "pro"]}
    assert "string_constraints" not in features["customer_id"]  # identifiers have no domain
    assert features["balance"]["num_constraints"] == {"is_non_negative": False}


def test_monitoring_config_carries_the_thresholds(customers):
    config = suggest_constraints(compute_statistics(customers), drift_threshold=0.2, domain_content_threshold=0.99)[
        "monitoring_config"
    ]
    assert config == {
        "evaluate_constraints": "Enabled",
        "emit_metrics": "Enabled",
        "datatype_check_threshold": 1.0,
        "domain_content_threshold": 0.99,
        "distribution_constraints": {
            "perform_comparison": "Enabled",
            "comparison_threshold": 0.2,
            "comparison_method": "Robust",
            "categorical_comparison_threshold": 0.2,
            "categorical_drift_method": "LInfinity",
        },
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"comparison_method": "Exact"}, "comparison_method must be one of Robust, Simple"),
        ({"drift_threshold": 1.5}, "drift_threshold must be between 0 and 1"),
    ],
)
def test_bad_options_are_rejected_by_name(customers, options, message):
    with pytest.raises(ValueError, match=message):
        suggest_constraints(compute_statistics(customers), **options)
