"""feature_distance: Model Monitor's L-infinity distances, from the statistics alone."""

import math

import numpy as np
import pandas as pd
import pytest

from mlops_core.data_quality import compute_statistics, feature_distance
from mlops_core.data_quality.chisquare import chi_square_p_value

from .conftest import feature


def _numeric(values) -> dict:
    return feature(compute_statistics(pd.DataFrame({"v": values})), "v")


def _categorical(counts: dict) -> dict:
    values = [value for value, count in counts.items() for _ in range(count)]
    return feature(compute_statistics(pd.DataFrame({"v": values})), "v")


def test_deequ_reference_values_numeric():
    # Deequ's KLLDistanceTest: [1,2,3,4] vs [2,3,4,5] -> linf_simple 0.25, linf_robust 0.0.
    first, second = _numeric([1, 2, 3, 4]), _numeric([2, 3, 4, 5])
    assert feature_distance(first, second, method="Simple") == 0.25
    assert feature_distance(first, second, method="Robust") == 0.0


def test_deequ_reference_values_categorical():
    first = _categorical({"a": 10, "b": 20, "c": 25, "d": 10, "e": 5})
    second = _categorical({"a": 11, "b": 20, "c": 25, "d": 10, "e": 10})
    assert feature_distance(first, second, method="Simple") == pytest.approx(0.06015037593984962)
    assert feature_distance(first, second) == 0.0  # Robust: within sampling noise at n=70, m=76


def test_identical_distributions_are_at_distance_zero():
    values = np.random.default_rng(1).normal(size=5000)
    assert feature_distance(_numeric(values), _numeric(values), method="Simple") == 0.0


def test_distance_grows_with_the_shift():
    base = np.random.default_rng(2).normal(size=20_000)
    baseline = _numeric(base)
    distances = [feature_distance(baseline, _numeric(base + shift), method="Simple") for shift in (0.1, 0.3, 1.0, 3.0)]
    assert distances == sorted(distances) and distances[0] > 0.0
    assert distances[-1] == pytest.approx(0.866, abs=0.01)  # Phi(1.5) - Phi(-1.5) for a 3-sigma shift


def test_a_change_of_spread_alone_is_seen():
    base = np.random.default_rng(3).normal(size=20_000)
    assert feature_distance(_numeric(base), _numeric(base * 2.0)) > 0.1


def test_invariant_to_units_and_monotone_transformations():
    rng = np.random.default_rng(4)
    first, second = rng.lognormal(size=3000), rng.lognormal(0.2, size=3000)
    reference = feature_distance(_numeric(first), _numeric(second))
    for transform in (lambda x: x * 1000.0, lambda x: x - 50.0, np.log):
        assert feature_distance(_numeric(transform(first)), _numeric(transform(second))) == pytest.approx(reference)


def test_robust_subtracts_the_ks_critical_value():
    base = np.random.default_rng(6).normal(size=1000)
    first, second = _numeric(base), _numeric(base + 0.5)
    simple = feature_distance(first, second, method="Simple")
    robust = feature_distance(first, second, method="Robust")
    assert robust == pytest.approx(simple - 1.8 * math.sqrt(2000 / 1000**2))


def test_either_side_empty_is_zero_and_mixed_kinds_are_an_error():
    empty = feature(compute_statistics(pd.DataFrame({"v": [None, None]})), "v")
    assert feature_distance(_numeric([1, 2]), empty) == 0.0
    with pytest.raises(ValueError, match="numeric in the baseline and text now"):
        feature_distance(_numeric([1, 2]), _categorical({"a": 2}))


def test_the_guide_s_other_method_names_are_accepted():
    first, second = _numeric([1, 2, 3, 4]), _numeric([2, 3, 4, 5])
    assert feature_distance(first, second, method="linf_simple") == 0.25
    assert feature_distance(first, second, method="linf_robust") == 0.0


def test_unknown_methods_are_rejected_by_name():
    with pytest.raises(ValueError, match="comparison_method must be one of Robust, Simple, not 'Fancy'"):
        feature_distance(_numeric([1]), _numeric([2]), method="Fancy")


def test_chi_square_p_value_matches_tables():
    # Pearson chi-square with 1 degree of freedom at 3.841 -> p = 0.05 (table value).
    observed = {"a": 60.0, "b": 40.0}
    statistic = (60 - 50) ** 2 / 50 + (40 - 50) ** 2 / 50  # 4.0
    assert statistic == 4.0
    assert chi_square_p_value(observed, {"a": 0.5, "b": 0.5}) == pytest.approx(0.0455003, rel=1e-5)
    # 5 degrees of freedom, statistic 11.0705 -> p = 0.05.
    assert chi_square_p_value(
        {str(i): 100 + (11.0705 * 100 / 6) ** 0.5 * (1 if i % 2 else -1) for i in range(6)},
        {str(i): 1 / 6 for i in range(6)},
    ) == pytest.approx(0.05, rel=1e-3)


def test_chi_square_method_gives_a_small_p_value_for_drift():
    baseline = _categorical({"a": 500, "b": 300, "c": 200})
    same = _categorical({"a": 50, "b": 30, "c": 20})
    drifted = _categorical({"a": 20, "b": 30, "c": 50})
    assert feature_distance(baseline, same, categorical_method="ChiSquared") == pytest.approx(1.0)
    assert feature_distance(baseline, drifted, categorical_method="ChiSquared") < 1e-6
