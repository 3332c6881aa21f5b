"""Streaming (chunks, CSV files) gives the one-shot statistics, with bounded memory."""

import io

import numpy as np
import pandas as pd
import pytest

from mlops_core.data_quality import DataQualityError, StatisticsAccumulator, compute_statistics, profile_csv
from mlops_core.data_quality.kll import cdf_at, cdf_points

from .conftest import feature

EXACT = ("sum", "mean", "std_dev", "min", "max")


def _streamed(frame: pd.DataFrame, size: int, **options) -> dict:
    accumulator = StatisticsAccumulator(**options)
    for start in range(0, len(frame), size):
        accumulator.update(frame.iloc[start : start + size])
    return accumulator.result()


def test_streaming_equals_one_shot_for_counts_moments_and_categories(customers):
    one_shot, streamed = compute_statistics(customers), _streamed(customers, 300)
    for name in ("age", "income", "balance"):
        first, second = feature(one_shot, name)["numerical_statistics"], feature(streamed, name)["numerical_statistics"]
        assert first["common"] == second["common"]
        for key in EXACT:  # equal up to the order of floating-point additions
            assert second[key] == pytest.approx(first[key], rel=1e-12, abs=1e-9), key
    assert feature(streamed, "plan") == feature(one_shot, "plan")
    assert streamed["dataset"] == one_shot["dataset"]


def test_small_columns_stream_to_the_exact_sketch(customers):
    small = customers.iloc[:1500]  # fewer values than k: nothing is ever compacted
    one_shot, streamed = compute_statistics(small), _streamed(small, 111)
    assert feature(streamed, "balance")["numerical_statistics"]["distribution"] == feature(one_shot, "balance")[
        "numerical_statistics"
    ]["distribution"]


def test_profile_csv_equals_compute_statistics_of_the_same_file(customers):
    text = customers.to_csv(index=False)
    streamed = profile_csv(io.StringIO(text), chunksize=250)
    one_shot = compute_statistics(pd.read_csv(io.StringIO(text)))
    assert streamed["dataset"] == one_shot["dataset"]
    for name in ("age", "income", "balance"):
        first, second = feature(one_shot, name), feature(streamed, name)
        assert first["inferred_type"] == second["inferred_type"]
        assert first["type_counts"] == second["type_counts"]
        assert second["numerical_statistics"]["mean"] == pytest.approx(first["numerical_statistics"]["mean"], rel=1e-12)
    assert feature(streamed, "plan") == feature(one_shot, "plan")
    # 2000 distinct ids, more than the 1000 tracked: counts are exact, the listed ids a top-k.
    ids = feature(streamed, "customer_id")["string_statistics"]
    assert ids["distinct_count"] == 2000
    assert len(ids["distribution"]["categorical"]["buckets"]) == 1000


def test_sketch_cdf_of_a_large_stream_is_within_one_percent():
    values = np.random.default_rng(3).standard_t(df=3, size=400_000)  # heavy tails on purpose
    statistics = _streamed(pd.DataFrame({"v": values}), 50_000)
    sketch = feature(statistics, "v")["numerical_statistics"]["distribution"]["kll"]["sketch"]
    grid = np.quantile(values, np.linspace(0.001, 0.999, 999))
    exact = np.searchsorted(np.sort(values), grid, side="right") / len(values)
    assert np.max(np.abs(cdf_at(cdf_points(sketch["data"]), grid) - exact)) < 0.01
    assert sum(len(level) for level in sketch["data"]) < 8_000  # bounded, whatever the rows


def test_high_cardinality_text_keeps_a_bounded_top_list_and_estimates_distinct():
    rng = np.random.default_rng(5)
    values = np.where(rng.random(60_000) < 0.5, "common", [f"u{i}" for i in range(60_000)])
    statistics = _streamed(pd.DataFrame({"v": values}), 10_000, max_categories=100)
    text = feature(statistics, "v")["string_statistics"]
    buckets = text["distribution"]["categorical"]["buckets"]
    assert len(buckets) <= 100
    assert buckets[0]["value"] == "common" and buckets[0]["count"] == int((values == "common").sum())
    distinct = len(set(values))
    assert abs(text["distinct_count"] - distinct) < 0.05 * distinct


def test_columns_appearing_or_disappearing_between_chunks_count_as_missing():
    accumulator = StatisticsAccumulator()
    accumulator.update(pd.DataFrame({"a": [1, 2]}))
    accumulator.update(pd.DataFrame({"b": ["x", "y", "z"]}))
    statistics = accumulator.result()
    assert feature(statistics, "a")["numerical_statistics"]["common"] == {"num_present": 2, "num_missing": 3}
    assert feature(statistics, "b")["string_statistics"]["common"] == {"num_present": 3, "num_missing": 2}


def test_header_only_csv_has_columns_and_no_values():
    statistics = profile_csv(io.StringIO("a,b\n"))
    assert statistics["dataset"]["item_count"] == 0
    assert [item["inferred_type"] for item in statistics["features"]] == ["Unknown", "Unknown"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [("", "no header row"), ("a,b\n1,2\n1,2,3,4\n", "cannot be parsed as CSV: Expected 2 fields")],
)
def test_unreadable_csv_is_a_clear_error(content, reason):
    with pytest.raises(DataQualityError, match=reason):
        profile_csv(io.StringIO(content))


def test_profile_csv_passes_read_options_and_leaves_out_the_target(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a;label\n1;x\n2;y\n")
    statistics = profile_csv(path, sep=";", target="label")
    assert [item["name"] for item in statistics["features"]] == ["a"]
    assert feature(statistics, "a")["numerical_statistics"]["sum"] == 3.0
