"""Distribution distance between a baseline feature and a current one, from statistics alone.

The distances are Model Monitor's own (Deequ's ``Distance``), so ``comparison_threshold`` means
what it means there:

- numeric: the L-infinity distance between the two cumulative distribution functions, i.e.
  the two-sample Kolmogorov-Smirnov statistic ``D = max_x |F_baseline(x) - F_current(x)|``,
  read from the KLL sketches. ``D = 0.1`` means that for some cut point x, the share of values
  below x differs by 10 percentage points. It sees shifts of location *and* of spread (unlike
  PSI on baseline deciles, which misses a spread that stays inside the deciles), is bounded in
  [0, 1], and is invariant to any increasing transformation of the values (units, scale,
  log), so one threshold fits every feature; Evidently's Wasserstein / std is only invariant
  to linear rescaling and is unbounded.
- categorical, ``LInfinity``: the largest absolute difference between the share of any one
  category, ``max_v |p_baseline(v) - p_current(v)|``.
- ``Robust`` (Model Monitor's default ``comparison_method``) subtracts what sampling noise
  alone can produce, the two-sample KS critical value at alpha = 0.003:
  ``max(0, D - 1.8 * sqrt((n + m) / (n m)))`` with n, m the numbers of present values; so 40
  rows that happen to differ from the baseline do not raise an alarm, and large samples are
  judged on D itself. ``Simple`` returns D unchanged.
- categorical, ``ChiSquared``: the p-value of Pearson's chi-square goodness-of-fit test of the
  current counts against the baseline shares (Deequ's ``Distance.categoricalDistance``), so
  *small* values mean drift; ``check_constraints`` flags it when it is *below* the threshold.
"""

from __future__ import annotations

import math

import numpy as np

from mlops_core.data_quality.chisquare import chi_square_p_value
from mlops_core.data_quality.kll import cdf_at, cdf_points

ROBUST_C_ALPHA = 1.8  # Deequ's default c(alpha), alpha = 0.003 (Knuth, TAOCP vol. 2, 3.3.1 eq. 15)
COMPARISON_METHODS = ("Robust", "Simple")
# The constraints table of the Model Monitor guide also names them linf_robust / linf_simple.
_METHOD_ALIASES = {"linf_robust": "Robust", "linf_simple": "Simple"}
CATEGORICAL_METHODS = ("LInfinity", "ChiSquared")


def feature_distance(
    baseline_feature: dict,
    current_feature: dict,
    *,
    method: str = "Robust",
    categorical_method: str = "LInfinity",
) -> float:
    """Distance between two statistics.json feature entries of the same kind.

    0.0 when either side has no present values (completeness_check reports that case).
    Raises ValueError when one is numeric and the other text (data_type_check reports that).
    """
    method = _METHOD_ALIASES.get(method, method)
    if method not in COMPARISON_METHODS:
        raise ValueError(f"comparison_method must be one of {', '.join(COMPARISON_METHODS)}, not {method!r}")
    if categorical_method not in CATEGORICAL_METHODS:
        raise ValueError(
            f"categorical_drift_method must be one of {', '.join(CATEGORICAL_METHODS)}, not {categorical_method!r}"
        )
    kinds = (_kind(baseline_feature), _kind(current_feature))
    n, m = present_count(baseline_feature), present_count(current_feature)
    if n == 0 or m == 0:
        return 0.0
    if kinds == ("numeric", "numeric"):
        return _robust(_numeric_linf(baseline_feature, current_feature), n, m, method)
    if kinds == ("text", "text"):
        if categorical_method == "ChiSquared":
            return _chi_square(baseline_feature, current_feature)
        return _robust(_categorical_linf(baseline_feature, current_feature), n, m, method)
    name = current_feature.get("name", baseline_feature.get("name"))
    raise ValueError(f"feature {name!r} cannot be compared: it is {kinds[0]} in the baseline and {kinds[1]} now")


def is_numeric(feature: dict) -> bool:
    return "numerical_statistics" in feature


def _kind(feature: dict) -> str:
    return "numeric" if is_numeric(feature) else "text"


def present_count(feature: dict) -> int:
    """``num_present`` of a statistics.json feature, whichever its kind."""
    block = feature.get("numerical_statistics") or feature.get("string_statistics") or {}
    return int(block.get("common", {}).get("num_present", 0))


def _numeric_linf(baseline: dict, current: dict) -> float:
    first, second = _cdf(baseline), _cdf(current)
    grid = np.union1d(first[0], second[0])
    return float(np.max(np.abs(cdf_at(first, grid) - cdf_at(second, grid))))


def _cdf(feature: dict) -> tuple[np.ndarray, np.ndarray]:
    kll = feature["numerical_statistics"].get("distribution", {}).get("kll", {})
    if "sketch" in kll:
        return cdf_points(kll["sketch"].get("data", []))
    # Files from elsewhere may only have the buckets: treat each bucket's count as sitting at
    # its upper bound (a coarser CDF, exact at the bucket bounds).
    buckets = kll.get("buckets", [])
    if not buckets:
        raise ValueError(f"feature {feature.get('name')!r} has no KLL distribution to compare")
    uppers = np.array([bucket["upper_bound"] for bucket in buckets], dtype=float)
    counts = np.cumsum([bucket["count"] for bucket in buckets], dtype=float)
    return uppers, counts / counts[-1]


def _shares(feature: dict) -> tuple[dict[str, float], float]:
    statistics = feature["string_statistics"]
    present = float(statistics["common"]["num_present"])
    buckets = statistics.get("distribution", {}).get("categorical", {}).get("buckets", [])
    return {str(bucket["value"]): bucket["count"] / present for bucket in buckets}, present


def _categorical_linf(baseline: dict, current: dict) -> float:
    first, _ = _shares(baseline)
    second, _ = _shares(current)
    differences = (abs(first.get(value, 0.0) - second.get(value, 0.0)) for value in first.keys() | second.keys())
    return max(differences, default=0.0)


def _chi_square(baseline: dict, current: dict) -> float:
    expected_shares, _ = _shares(baseline)
    observed_shares, present = _shares(current)
    observed = {value: share * present for value, share in observed_shares.items()}
    return chi_square_p_value(observed, expected_shares)


def _robust(linf: float, n: int, m: int, method: str) -> float:
    if method == "Simple":
        return linf
    return max(0.0, linf - ROBUST_C_ALPHA * math.sqrt((n + m) / (n * m)))
