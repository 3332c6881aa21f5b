"""Suggest constraints.json (Model Monitor's schema) from a baseline's statistics.json.

Per feature: the baseline's ``inferred_type``; ``completeness`` = the baseline's share of
present values (later data must be at least as complete); ``num_constraints.is_non_negative``
when the baseline minimum is >= 0; ``string_constraints.domains`` = the baseline's values, for
text columns of small cardinality whose values are all listed. ``monitoring_config`` carries
the thresholds, with Model Monitor's suggested defaults (1.0 for the type and domain checks:
any text in a numeric column, or any value outside a domain, is a violation).
"""

from __future__ import annotations

from mlops_core.data_quality.distance import CATEGORICAL_METHODS, COMPARISON_METHODS

CONSTRAINTS_VERSION = 0.0
DEFAULT_DRIFT_THRESHOLD = 0.1
DEFAULT_MAX_DOMAIN_SIZE = 100


def suggest_constraints(
    statistics: dict,
    *,
    drift_threshold: float = DEFAULT_DRIFT_THRESHOLD,
    categorical_drift_threshold: float | None = None,
    comparison_method: str = "Robust",
    categorical_drift_method: str = "LInfinity",
    datatype_check_threshold: float = 1.0,
    domain_content_threshold: float = 1.0,
    max_domain_size: int = DEFAULT_MAX_DOMAIN_SIZE,
    completeness_tolerance: float = 0.0,
) -> dict:
    """constraints.json for data like the baseline ``statistics``.

    ``drift_threshold`` becomes ``comparison_threshold`` (numeric, and categorical unless
    ``categorical_drift_threshold`` is given); a domain is listed for a text column only when it
    has at most ``max_domain_size`` values and each value appears twice on average, so names
    and identifiers get no domain. ``completeness`` is the baseline's own share of present
    values (Model Monitor's suggestion) minus ``completeness_tolerance``: a later sample of the
    same source falls short of the exact share about half the time by chance alone.
    """
    _check_choice("comparison_method", comparison_method, COMPARISON_METHODS)
    _check_choice("categorical_drift_method", categorical_drift_method, CATEGORICAL_METHODS)
    for name, value in (
        ("drift_threshold", drift_threshold),
        ("datatype_check_threshold", datatype_check_threshold),
        ("domain_content_threshold", domain_content_threshold),
        ("completeness_tolerance", completeness_tolerance),
    ):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {value}")
    rows = int(statistics["dataset"]["item_count"])
    return {
        "version": CONSTRAINTS_VERSION,
        "features": [
            _feature(feature, rows, max_domain_size, completeness_tolerance) for feature in statistics["features"]
        ],
        "monitoring_config": {
            "evaluate_constraints": "Enabled",
            "emit_metrics": "Enabled",
            "datatype_check_threshold": float(datatype_check_threshold),
            "domain_content_threshold": float(domain_content_threshold),
            "distribution_constraints": {
                "perform_comparison": "Enabled",
                "comparison_threshold": float(drift_threshold),
                "comparison_method": comparison_method,
                "categorical_comparison_threshold": float(
                    drift_threshold if categorical_drift_threshold is None else categorical_drift_threshold
                ),
                "categorical_drift_method": categorical_drift_method,
            },
        },
    }


def _feature(feature: dict, rows: int, max_domain_size: int, tolerance: float) -> dict:
    numeric = feature.get("numerical_statistics")
    text = feature.get("string_statistics")
    common = (numeric or text)["common"]
    suggestion = {
        "name": feature["name"],
        "inferred_type": feature["inferred_type"],
        "completeness": max(0.0, common["num_present"] / rows - tolerance) if rows else 1.0,
    }
    if numeric is not None:
        suggestion["num_constraints"] = {"is_non_negative": bool(numeric["min"] >= 0)}
    elif feature["inferred_type"] == "String":
        domain = _domain(text, max_domain_size)
        if domain is not None:
            suggestion["string_constraints"] = {"domains": domain}
    return suggestion


def _domain(text: dict, max_domain_size: int) -> list[str] | None:
    buckets = text["distribution"]["categorical"]["buckets"]
    present = text["common"]["num_present"]
    listed_all = sum(bucket["count"] for bucket in buckets) == present
    if not listed_all or not buckets or len(buckets) > max_domain_size or 2 * len(buckets) > present:
        return None
    return sorted(str(bucket["value"]) for bucket in buckets)


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
