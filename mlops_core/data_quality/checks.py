"""Check statistics.json against constraints.json (and a baseline) -> constraint_violations.json.

Check types are Model Monitor's: missing_column_check, extra_column_check, data_type_check,
completeness_check, categorical_values_check, baseline_drift_check; plus non_negative_check
for ``num_constraints.is_non_negative`` (Model Monitor's schema has the constraint but names no
check for it). Everything is decided from the statistics, so a streamed profile of a file
larger than memory is checked exactly like a DataFrame.
"""

from __future__ import annotations

from mlops_core.data_quality import wording
from mlops_core.data_quality.distance import feature_distance, is_numeric, present_count

NUMERIC_TYPES = ("Integral", "Fractional")


def check_constraints(statistics: dict, constraints: dict, *, baseline: dict | None = None) -> dict:
    """{"violations": [...]}: column checks first, then each constraint feature in order.

    The drift check runs only with ``baseline`` (the statistics the constraints came from) and
    only for features whose type still matches; a type change is reported as such instead.
    """
    config = constraints.get("monitoring_config", {})
    current = {feature["name"]: feature for feature in statistics["features"]}
    expected = {feature["name"]: feature for feature in constraints["features"]}
    violations = [
        _violation(name, "missing_column_check", wording.missing_column(name))
        for name in expected
        if name not in current
    ]
    violations += [
        _violation(name, "extra_column_check", wording.extra_column(name)) for name in current if name not in expected
    ]
    rows = int(statistics["dataset"]["item_count"])
    evaluate = config.get("evaluate_constraints", "Enabled") == "Enabled"
    reference = {feature["name"]: feature for feature in (baseline or {}).get("features", [])}
    for name, rule in expected.items():
        if name not in current:
            continue
        feature = current[name]
        type_ok = True
        if evaluate:
            found, type_ok = _feature_checks(rule, feature, rows, config)
            violations += found
        if type_ok and name in reference:
            violations += _drift(reference[name], feature, config)
    return {"violations": violations}


def _feature_checks(rule: dict, feature: dict, rows: int, config: dict) -> tuple[list[dict], bool]:
    name = feature["name"]
    found = []
    type_problem = _data_type(rule, feature, float(config.get("datatype_check_threshold", 1.0)))
    if type_problem:
        found.append(_violation(name, "data_type_check", type_problem))
    completeness = _completeness(rule, feature, rows)
    if completeness:
        found.append(_violation(name, "completeness_check", completeness))
    if rule.get("num_constraints", {}).get("is_non_negative") and is_numeric(feature):
        minimum = feature["numerical_statistics"]["min"]
        if minimum < 0:
            found.append(_violation(name, "non_negative_check", wording.negative(minimum)))
    domain = rule.get("string_constraints", {}).get("domains")
    if domain and present_count(feature):
        problem = _domain(domain, feature, float(config.get("domain_content_threshold", 1.0)))
        if problem:
            found.append(_violation(name, "categorical_values_check", problem))
    return found, not type_problem


def _data_type(rule: dict, feature: dict, threshold: float) -> str | None:
    expected = rule.get("inferred_type")
    present = present_count(feature)
    # Any value is valid text, and an empty or untyped column has nothing to compare.
    if expected not in NUMERIC_TYPES or present == 0 or feature["inferred_type"] == expected:
        return None
    counts = feature.get("type_counts")
    if counts is None:  # statistics written elsewhere: only the inferred types are known
        matching = present if feature["inferred_type"] in NUMERIC_TYPES and expected == "Fractional" else 0
    else:
        matching = counts.get("Integral", 0) + (counts.get("Fractional", 0) if expected == "Fractional" else 0)
    share = matching / present
    if share >= threshold:
        return None
    return wording.data_type(expected, threshold, share, _text_examples(feature))


def _completeness(rule: dict, feature: dict, rows: int) -> str | None:
    required = rule.get("completeness")
    if required is None or rows == 0:
        return None
    observed = present_count(feature) / rows
    if observed >= required - 1e-12:
        return None
    return wording.completeness(required, observed, rows - present_count(feature), rows)


def _domain(domain: list, feature: dict, threshold: float) -> str | None:
    allowed = {str(value) for value in domain}
    present = present_count(feature)
    buckets = feature.get("string_statistics", {}).get("distribution", {}).get("categorical", {}).get("buckets", [])
    inside = sum(bucket["count"] for bucket in buckets if str(bucket["value"]) in allowed)
    share = inside / present
    if share >= threshold:
        return None
    unseen = [str(bucket["value"]) for bucket in buckets if str(bucket["value"]) not in allowed]
    return wording.domain(len(allowed), threshold, share, unseen)


def feature_distances(statistics: dict, baseline: dict, constraints: dict | None = None) -> dict[str, float]:
    """{feature: distance} for every feature comparable with the baseline, with the methods of
    ``constraints`` (Model Monitor's defaults without): the values behind the
    ``feature_baseline_drift_<feature>`` metrics, whether or not they exceed a threshold."""
    distribution = (constraints or {}).get("monitoring_config", {}).get("distribution_constraints", {})
    reference = {feature["name"]: feature for feature in baseline["features"]}
    distances = {}
    for feature in statistics["features"]:
        measured = _measure(reference.get(feature["name"]), feature, distribution)
        if measured is not None:
            distances[feature["name"]] = measured[0]
    return distances


def _drift(reference: dict, feature: dict, config: dict) -> list[dict]:
    distribution = config.get("distribution_constraints", {})
    if distribution.get("perform_comparison", "Enabled") != "Enabled":
        return []
    measured = _measure(reference, feature, distribution)
    if measured is None:
        return []
    distance, threshold, p_value = measured
    # A p-value is small when the counts no longer fit the baseline; a distance is large.
    if (distance >= threshold) if p_value else (distance <= threshold):
        return []
    return [_violation(feature["name"], "baseline_drift_check", wording.drift(distance, threshold, p_value=p_value))]


def _measure(reference: dict | None, feature: dict, distribution: dict) -> tuple[float, float, bool] | None:
    """(distance, threshold, distance is a p-value), or None when there is nothing to compare."""
    if reference is None or is_numeric(reference) != is_numeric(feature):
        return None
    if not present_count(reference) or not present_count(feature):
        return None
    threshold = float(distribution.get("comparison_threshold", 0.1))
    categorical_method = distribution.get("categorical_drift_method", "LInfinity")
    if not is_numeric(feature):
        threshold = float(distribution.get("categorical_comparison_threshold", threshold))
    distance = feature_distance(
        reference,
        feature,
        method=distribution.get("comparison_method", "Robust"),
        categorical_method=categorical_method,
    )
    return distance, threshold, not is_numeric(feature) and categorical_method == "ChiSquared"


def _text_examples(feature: dict) -> list[str]:
    buckets = feature.get("string_statistics", {}).get("distribution", {}).get("categorical", {}).get("buckets", [])
    return [str(bucket["value"]) for bucket in buckets if not wording.looks_numeric(str(bucket["value"]))]


def _violation(name: str, check: str, description: str) -> dict:
    return {"feature_name": name, "constraint_check_type": check, "description": description}
