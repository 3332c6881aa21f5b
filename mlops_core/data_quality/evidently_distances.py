"""Evidently's default drift distances (DataDriftPreset, reference above 1,000 rows), so a check
here gives the same per-feature verdicts as Evidently at the same thresholds:

- numeric: ``wasserstein_distance(reference, current) / max(std(reference), 0.001)``, the first
  Wasserstein distance in units of the reference's population standard deviation
  (Evidently's ``wasserstein`` stattest, ``_wasserstein_distance_norm``). 0.1 means the
  current values sit, on average, a tenth of a standard deviation away from the reference's
  (a shift of the mean by 0.1 sigma, or a change of spread of about 12 %).
- categorical, and numeric columns with at most 5 distinct values: the Jensen-Shannon distance
  (natural logarithm) between the two value-count distributions (``jensenshannon`` stattest).
- drift when the distance is *at least* the threshold (Evidently's ``>=``), default 0.1 both.

Evidently picks other tests for references of at most 1,000 rows (KS, chi-square, z-test on
p-values); those are not reproduced: this module always measures distances.

Two entry points: summaries of raw data (``normed_wasserstein`` on ``QuantileSummary``s, exact
while the data fits, see quantile_summary.py; the DataFrame profile in drift_profile.py), and
statistics.json features (``statistics_distance``), which is what the monitor has: there the
numeric side is read from the KLL sketches (each item weighing 2**level), so the distance
carries the sketch's sampling error for columns above the sketch size (exact below it):
measured within 0.013 of the exact value (in standard deviations) for 300k-row reference and
200k-row current normal and lognormal columns, so only a feature that close to the threshold
can get a different verdict than Evidently's.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from mlops_core.data_quality.distance import is_numeric, present_count
from mlops_core.data_quality.jensen_shannon import category_distance
from mlops_core.data_quality.quantile_summary import QuantileSummary
from mlops_core.data_quality.wasserstein import wasserstein_distance

WASSERSTEIN, JENSEN_SHANNON = "wasserstein", "jensenshannon"  # Evidently's stattest names
DEFAULT_THRESHOLD = 0.1
STD_FLOOR = 0.001  # Evidently's: a constant reference column does not divide by zero
OTHER = "\0other"  # the untracked remainder of a category listing (no real value has a NUL)


def is_drift(distance: float, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Evidently's rule for distance tests: drift when the distance reaches the threshold."""
    return distance >= threshold


def normed_wasserstein(reference: QuantileSummary, current: QuantileSummary) -> float:
    """Evidently's normed Wasserstein distance between two summaries (exact when both are)."""
    if reference.count == 0 or current.count == 0:
        raise ValueError("normed_wasserstein needs values on both sides")
    first, second = reference.points(), current.points()
    distance = wasserstein_distance(first[0], second[0], first[1], second[1], assume_sorted=True)
    return distance / max(reference.std, STD_FLOOR)


def normed_wasserstein_bound(reference: QuantileSummary, current: QuantileSummary) -> float:
    """How far ``normed_wasserstein`` can be from the exact value (0 when both are exact)."""
    return (reference.error_bound + current.error_bound) / max(reference.std, STD_FLOOR)


def statistics_distance(baseline_feature: dict, current_feature: dict) -> float:
    """Evidently's distance between two statistics.json features of the same kind; 0.0 when
    a side has no present values. Raises ValueError when one is numeric and the other text."""
    if is_numeric(baseline_feature) != is_numeric(current_feature):
        name = current_feature.get("name", baseline_feature.get("name"))
        raise ValueError(f"feature {name!r} cannot be compared: its type differs from the baseline's")
    if present_count(baseline_feature) == 0 or present_count(current_feature) == 0:
        return 0.0
    if is_numeric(baseline_feature):
        first, second = _sketch_points(baseline_feature), _sketch_points(current_feature)
        distance = wasserstein_distance(first[0], second[0], first[1], second[1])
        std = float(baseline_feature["numerical_statistics"].get("std_dev", 0.0))
        return distance / max(std, STD_FLOOR)
    return category_distance(_category_counts(baseline_feature), _category_counts(current_feature))


def _sketch_points(feature: dict) -> tuple[np.ndarray, np.ndarray]:
    kll = feature["numerical_statistics"].get("distribution", {}).get("kll", {})
    levels = kll.get("sketch", {}).get("data")
    if levels:
        values = np.concatenate([np.asarray(items, dtype=float) for items in levels])
        weights = np.concatenate([np.full(len(items), 2.0**level) for level, items in enumerate(levels)])
        if len(values):
            return values, weights
    # Only buckets (files written elsewhere): each bucket's count sits at its midpoint.
    buckets = kll.get("buckets", [])
    if not buckets:
        raise ValueError(f"feature {feature.get('name')!r} has no KLL distribution to compare")
    values = np.array([(b["lower_bound"] + b["upper_bound"]) / 2.0 for b in buckets], dtype=float)
    return values, np.array([b["count"] for b in buckets], dtype=float)


def _category_counts(feature: dict) -> Mapping[str, float]:
    statistics = feature["string_statistics"]
    buckets = statistics.get("distribution", {}).get("categorical", {}).get("buckets", [])
    counts = {str(bucket["value"]): float(bucket["count"]) for bucket in buckets}
    # Listings keep the most frequent values only; the rest of the present values is one bucket
    # (exact when nothing was left out, as for any column with at most 1,000 values).
    rest = float(statistics["common"]["num_present"]) - sum(counts.values())
    if rest > 0:
        counts[OTHER] = rest
    return counts
