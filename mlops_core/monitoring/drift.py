"""The data-quality check of a window: statistics of the captured features, Model Monitor's
constraint checks against the deployed version's baseline, and the per-feature distances.

Threshold semantics (docs/data-quality.md "The distance"): the distance of a numeric feature
is the Kolmogorov-Smirnov statistic between the baseline's and the window's distributions,
of a categorical one the largest change of one category's share; with the baseline's
`comparison_method` Robust (the default) the two-sample KS critical value at alpha = 0.003,
1.8 * sqrt((n + m) / (n m)), is subtracted first, so sampling noise reads as 0. A feature
drifts when that distance exceeds `comparison_threshold` (categorical:
`categorical_comparison_threshold`), 0.1 by default: a 1-sigma mean shift (KS about 0.38) or
a swap of two common categories is flagged from a few hundred requests on, a few hundred
unshifted requests are not. The same decision writes the `baseline_drift_check` violation
("distance: <d> exceeds threshold: <t>"), so `drifted` and the report always agree.

With `monitoring.drift.method` "wasserstein-js" the distances are Evidently's instead
(mlops_core/data_quality/evidently_distances.py: Wasserstein / reference std for numeric
features, Jensen-Shannon for categorical ones, read from the same statistics), judged against
the same constraints thresholds with Evidently's rule (drift when the distance reaches it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from mlops_core.data_quality import (
    StatisticsAccumulator,
    check_constraints,
    feature_distances,
)
from mlops_core.data_quality.distance import is_numeric, present_count
from mlops_core.data_quality.evidently_distances import is_drift, statistics_distance
from mlops_core.data_quality.wording import drift as drift_wording

DRIFT_CHECK = "baseline_drift_check"
MODEL_MONITOR, WASSERSTEIN_JS = "model-monitor", "wasserstein-js"
DRIFT_METHODS = (MODEL_MONITOR, WASSERSTEIN_JS)


@dataclass(frozen=True)
class DriftOutcome:
    rows: int
    statistics: dict  # statistics.json of the window
    violations: dict  # constraint_violations.json
    distances: dict[str, float]  # every feature compared with the baseline
    drifted: list[str]  # features with a baseline_drift_check violation, in baseline order

    @property
    def drifted_share(self) -> float:
        return len(self.drifted) / len(self.distances) if self.distances else 0.0


def check_drift(chunks: Iterable[pd.DataFrame], *, baseline: dict, constraints: dict,
                method: str = MODEL_MONITOR) -> DriftOutcome:
    """``baseline`` and ``constraints`` without the target (layout.without_target)."""
    if method not in DRIFT_METHODS:
        raise ValueError(f"drift method must be one of {', '.join(DRIFT_METHODS)}, not {method!r}")
    accumulator = StatisticsAccumulator()
    for chunk in chunks:
        accumulator.update(chunk)
    statistics = accumulator.result()
    violations = check_constraints(statistics, constraints, baseline=baseline)
    if method == WASSERSTEIN_JS:
        # Features whose type check failed are not compared, as in check_constraints.
        found = violations["violations"]
        retyped = {v["feature_name"] for v in found if v["constraint_check_type"] == "data_type_check"}
        distances, flagged = _evidently_drift(statistics, baseline, constraints, skip=retyped)
        violations = {"violations": _in_report_order([v for v in found if v["constraint_check_type"] != DRIFT_CHECK]
                                                     + flagged, constraints)}
    else:
        distances = feature_distances(statistics, baseline, constraints)
    flagged = {v["feature_name"] for v in violations["violations"] if v["constraint_check_type"] == DRIFT_CHECK}
    drifted = [feature["name"] for feature in statistics["features"] if feature["name"] in flagged]
    return DriftOutcome(int(statistics["dataset"]["item_count"]), statistics, violations, distances, drifted)


def _evidently_drift(statistics: dict, baseline: dict, constraints: dict,
                     skip: set[str]) -> tuple[dict[str, float], list[dict]]:
    """Evidently's distances of every comparable feature (as feature_distances: same kind, values
    on both sides), and the baseline_drift_check violations they make under the constraints'
    thresholds and perform_comparison switch; features in ``skip`` are measured, not judged."""
    config = constraints.get("monitoring_config", {}).get("distribution_constraints", {})
    numeric_threshold = float(config.get("comparison_threshold", 0.1))
    text_threshold = float(config.get("categorical_comparison_threshold", numeric_threshold))
    compare = config.get("perform_comparison", "Enabled") == "Enabled"
    judged = {feature["name"] for feature in constraints.get("features", [])}
    reference = {feature["name"]: feature for feature in baseline.get("features", [])}
    distances, flagged = {}, []
    for feature in statistics["features"]:
        name, base = feature["name"], reference.get(feature["name"])
        if base is None or is_numeric(base) != is_numeric(feature) or not present_count(base) \
                or not present_count(feature):
            continue
        distance = statistics_distance(base, feature)
        distances[name] = distance
        threshold = numeric_threshold if is_numeric(feature) else text_threshold
        if compare and name in judged and name not in skip and is_drift(distance, threshold):
            flagged.append({"feature_name": name, "constraint_check_type": DRIFT_CHECK,
                            "description": drift_wording(distance, threshold)})
    return distances, flagged


def _in_report_order(violations: list[dict], constraints: dict) -> list[dict]:
    """check_constraints' order: column checks first, then feature by feature as constrained."""
    position = {feature["name"]: index for index, feature in enumerate(constraints.get("features", []))}
    columns = ("missing_column_check", "extra_column_check")
    return sorted(violations, key=lambda v: (v["constraint_check_type"] not in columns,
                                             position.get(v["feature_name"], len(position))))
