"""Evidently's distances computed here agree with scipy's (which Evidently calls), exactly for
raw data and within the proven bound for compacted summaries; the DataFrame profile gives
Evidently's per-column methods and verdicts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance as scipy_wasserstein

from mlops_core.data_quality import compute_statistics
from mlops_core.data_quality.drift_profile import DriftProfile, evidently_drift
from mlops_core.data_quality.evidently_distances import (
    normed_wasserstein,
    normed_wasserstein_bound,
    statistics_distance,
)
from mlops_core.data_quality.jensen_shannon import category_distance, jensen_shannon_distance
from mlops_core.data_quality.quantile_summary import QuantileSummary
from mlops_core.data_quality.wasserstein import wasserstein_distance


@pytest.mark.parametrize("seed", range(40))
def test_wasserstein_equals_scipy_on_random_samples_weighted_or_not(seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(1, 300, size=2)
    u = rng.normal(size=n).round(int(rng.integers(0, 3)))  # rounding makes ties
    v = rng.standard_t(3, size=m) * 2 + 0.5
    assert wasserstein_distance(u, v) == pytest.approx(scipy_wasserstein(u, v), rel=1e-12, abs=1e-14)
    u_weights, v_weights = rng.random(n) * (rng.random(n) > 0.3), rng.random(m)
    if u_weights.sum() > 0:
        assert wasserstein_distance(u, v, u_weights, v_weights) == pytest.approx(
            scipy_wasserstein(u, v, u_weights, v_weights), rel=1e-12, abs=1e-14)


def test_wasserstein_of_equal_sized_samples_and_of_identical_ones():
    rng = np.random.default_rng(3)
    u, v = rng.normal(size=1000), rng.normal(1.0, 2.0, size=1000)
    assert wasserstein_distance(u, v) == pytest.approx(scipy_wasserstein(u, v), rel=1e-12)
    assert wasserstein_distance(u, u[::-1]) == 0.0


@pytest.mark.parametrize("bad, message", [([], "non-empty"), ([1.0, np.nan], "finite")])
def test_wasserstein_names_bad_input(bad, message):
    with pytest.raises(ValueError, match=message):
        wasserstein_distance(bad, [1.0])


@pytest.mark.parametrize("seed", range(20))
def test_jensen_shannon_equals_scipy_with_its_default_natural_log(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 30))
    p, q = rng.integers(0, 50, size=size).astype(float), rng.integers(0, 50, size=size).astype(float)
    p[0] += 1
    q[-1] += 1
    assert jensen_shannon_distance(p, q) == pytest.approx(float(jensenshannon(p, q)), rel=1e-12, abs=1e-15)
    assert jensen_shannon_distance(p, q, base=2) == pytest.approx(float(jensenshannon(p, q, base=2)), rel=1e-12,
                                                                  abs=1e-15)


def test_category_distance_counts_a_category_missing_on_one_side_as_zero():
    reference, current = {"a": 5, "b": 5}, {"a": 5, "c": 5}
    assert category_distance(reference, current) == pytest.approx(float(jensenshannon([5, 5, 0], [5, 0, 5])))
    assert category_distance({"a": 3}, {"a": 7}) == 0.0


def test_a_summary_that_fits_is_exact_and_streams_to_the_same_result():
    rng = np.random.default_rng(5)
    reference, current = rng.normal(size=5000), rng.normal(0.2, 1.3, size=4000)
    whole_ref, whole_cur = QuantileSummary(), QuantileSummary()
    whole_ref.update(reference)
    whole_cur.update(current)
    streamed = QuantileSummary()
    for part in np.array_split(reference, 7):
        streamed.update(part)
    expected = scipy_wasserstein(reference, current) / np.std(reference)
    assert whole_ref.exact and streamed.exact
    assert normed_wasserstein(whole_ref, whole_cur) == pytest.approx(expected, rel=1e-12)
    assert normed_wasserstein(streamed, whole_cur) == pytest.approx(expected, rel=1e-12)
    assert streamed.std == pytest.approx(np.std(reference), rel=1e-12)
    assert normed_wasserstein_bound(streamed, whole_cur) == 0.0


def test_a_compacted_summary_stays_bounded_and_within_its_error_bound():
    rng = np.random.default_rng(6)
    reference = rng.lognormal(size=200_000)  # skewed, long tail: the hard case for a summary
    current = rng.lognormal(0.05, 1.0, size=150_000)
    first, second = QuantileSummary(max_points=4096), QuantileSummary(max_points=4096)
    for part in np.array_split(reference, 50):
        first.update(part)
    for part in np.array_split(current, 37):
        second.update(part)
    assert not first.exact and len(first.points()[0]) <= 4096
    exact = scipy_wasserstein(reference, current) / np.std(reference)
    bound = normed_wasserstein_bound(first, second)
    assert 0 < bound < 0.02
    assert abs(normed_wasserstein(first, second) - exact) <= bound
    assert first.mean == pytest.approx(reference.mean(), rel=1e-12)
    assert first.std == pytest.approx(np.std(reference), rel=1e-9)


def test_merging_summaries_of_two_partitions_equals_one_summary_of_both():
    rng = np.random.default_rng(8)
    left, right, other = rng.normal(size=3000), rng.normal(size=2000), rng.normal(0.5, size=1000)
    a, b, c = QuantileSummary(), QuantileSummary(), QuantileSummary()
    a.update(left)
    b.update(right)
    c.update(other)
    a.merge(b)
    both = np.concatenate([left, right])
    assert normed_wasserstein(a, c) == pytest.approx(scipy_wasserstein(both, other) / np.std(both), rel=1e-12)


def test_summary_refuses_missing_values_by_name():
    with pytest.raises(ValueError, match="finite values only"):
        QuantileSummary().update(np.array([1.0, np.inf]))


def _frames(rng, rows):
    reference = pd.DataFrame({
        "steady": rng.normal(size=rows), "moved": rng.normal(size=rows),
        "plan": rng.choice(["a", "b", "c"], size=rows, p=[0.5, 0.3, 0.2]),
        "rating": rng.integers(1, 4, size=rows).astype(float),
    })
    current = pd.DataFrame({
        "steady": rng.normal(size=rows), "moved": rng.normal(0.3, 1.0, size=rows),
        "plan": rng.choice(["a", "b", "c"], size=rows, p=[0.2, 0.3, 0.5]),
        "rating": rng.integers(1, 4, size=rows).astype(float),
    })
    current.loc[::10, "steady"] = np.nan  # missing values are dropped, as Evidently drops them
    return reference, current


def test_profile_gives_evidently_methods_distances_and_verdicts():
    reference, current = _frames(np.random.default_rng(9), 5000)
    first, second = DriftProfile(), DriftProfile()
    first.update(reference)
    for start in range(0, len(current), 700):
        second.update(current.iloc[start:start + 700])
    drift = evidently_drift(first, second)
    steady = current["steady"].dropna()
    assert drift["steady"].method == "wasserstein" and not drift["steady"].drifted
    assert drift["steady"].distance == pytest.approx(
        scipy_wasserstein(reference["steady"], steady) / np.std(reference["steady"]), rel=1e-12)
    assert drift["moved"].drifted and drift["plan"].drifted
    plan = [reference["plan"].value_counts().get(v, 0) for v in "abc"], [current["plan"].value_counts()[v] for v in "abc"]
    assert drift["plan"].distance == pytest.approx(float(jensenshannon(*plan)), rel=1e-12)
    # Three distinct values: Evidently judges it by value counts (Jensen-Shannon).
    assert drift["rating"].method == "jensenshannon" and not drift["rating"].drifted


def test_profile_names_a_column_whose_kind_changes():
    profile = DriftProfile()
    profile.update(pd.DataFrame({"x": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="'x' is non-numeric in this chunk"):
        profile.update(pd.DataFrame({"x": ["a", "b"]}))


def test_statistics_distance_reads_kll_sketches_and_category_buckets():
    reference, current = _frames(np.random.default_rng(10), 1500)  # below k: the sketches are exact
    baseline = {f["name"]: f for f in compute_statistics(reference)["features"]}
    now = {f["name"]: f for f in compute_statistics(current)["features"]}
    steady = current["steady"].dropna()
    assert statistics_distance(baseline["steady"], now["steady"]) == pytest.approx(
        scipy_wasserstein(reference["steady"], steady) / np.std(reference["steady"]), rel=1e-9)
    counts = reference["plan"].value_counts(), current["plan"].value_counts()
    assert statistics_distance(baseline["plan"], now["plan"]) == pytest.approx(
        float(jensenshannon([counts[0][v] for v in "abc"], [counts[1][v] for v in "abc"])), rel=1e-12)
    with pytest.raises(ValueError, match="type differs"):
        statistics_distance(baseline["plan"], now["steady"])
