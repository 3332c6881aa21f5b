"""compute_statistics against hand-checked values on tiny frames."""

import math

import numpy as np
import pandas as pd
import pytest

from mlops_core.data_quality import DataQualityError, compute_statistics

from .conftest import feature


def test_dataset_item_count_counts_every_row(tiny):
    assert compute_statistics(tiny)["dataset"] == {"item_count": 5}
    assert compute_statistics(tiny)["version"] == 0.0


def test_integral_column_hand_checked(tiny):
    x = feature(compute_statistics(tiny), "x")
    numbers = x["numerical_statistics"]
    assert x["inferred_type"] == "Integral"  # pandas made it float64 (a gap), the values are whole
    assert numbers["common"] == {"num_present": 4, "num_missing": 1}
    assert numbers["sum"] == 10.0
    assert numbers["mean"] == 2.5
    assert numbers["min"] == 1.0 and numbers["max"] == 4.0
    # Population standard deviation, as Deequ (Model Monitor) computes it: sqrt(5/4), not sqrt(5/3).
    assert numbers["std_dev"] == pytest.approx(math.sqrt(1.25))


def test_small_column_sketch_is_exact_and_buckets_cover_min_to_max(tiny):
    kll = feature(compute_statistics(tiny), "x")["numerical_statistics"]["distribution"]["kll"]
    assert kll["sketch"] == {"parameters": {"c": 0.64, "k": 2048}, "data": [[1.0, 2.0, 3.0, 4.0]]}
    buckets = kll["buckets"]
    assert len(buckets) == 10
    assert buckets[0]["lower_bound"] == 1.0 and buckets[-1]["upper_bound"] == 4.0
    assert [bucket["count"] for bucket in buckets] == [1, 0, 0, 1, 0, 0, 1, 0, 0, 1]


def test_fractional_column(tiny):
    y = feature(compute_statistics(tiny), "y")
    assert y["inferred_type"] == "Fractional"
    assert y["numerical_statistics"]["common"] == {"num_present": 3, "num_missing": 2}
    assert y["numerical_statistics"]["mean"] == pytest.approx(4.0 / 3)


def test_string_column_counts_values(tiny):
    c = feature(compute_statistics(tiny), "c")
    assert c["inferred_type"] == "String"
    text = c["string_statistics"]
    assert text["common"] == {"num_present": 4, "num_missing": 1}
    assert text["distinct_count"] == 2
    assert text["distribution"]["categorical"]["buckets"] == [{"value": "a", "count": 3}, {"value": "b", "count": 1}]


def test_numbers_read_as_text_give_the_same_statistics():
    as_numbers = pd.DataFrame({"v": [1.5, 2.0, None, 7.25]})
    as_text = pd.DataFrame({"v": ["1.5", "2", None, "7.25"]}, dtype=str)
    first, second = feature(compute_statistics(as_numbers), "v"), feature(compute_statistics(as_text), "v")
    assert first == second


def test_a_number_column_with_text_is_string_and_counts_types():
    mixed = feature(compute_statistics(pd.DataFrame({"v": ["1", "2", "twelve", None]})), "v")
    assert mixed["inferred_type"] == "String"
    assert mixed["type_counts"] == {"Integral": 2, "Fractional": 0, "String": 1}
    assert mixed["string_statistics"]["common"] == {"num_present": 3, "num_missing": 1}
    # Mostly numbers: the buckets list the offending text, the numbers are the unlisted rest.
    assert mixed["string_statistics"]["distribution"]["categorical"]["buckets"] == [{"value": "twelve", "count": 1}]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([True, False, True], "String"),
        ([1.0, np.inf, 2.0], "String"),
        ([None, None, None], "Unknown"),
        (pd.to_datetime(["2024-01-01", None, "2024-03-01"]), "String"),
    ],
)
def test_booleans_infinities_and_empty_columns(values, expected):
    column = feature(compute_statistics(pd.DataFrame({"v": values})), "v")
    assert column["inferred_type"] == expected


def test_all_missing_column_is_unknown_with_counts():
    column = feature(compute_statistics(pd.DataFrame({"v": [np.nan] * 4})), "v")
    assert column["string_statistics"]["common"] == {"num_present": 0, "num_missing": 4}
    assert column["string_statistics"]["distribution"]["categorical"]["buckets"] == []


def test_target_is_left_out_of_the_features(tiny):
    names = [item["name"] for item in compute_statistics(tiny, target="c")["features"]]
    assert names == ["x", "y"]


def test_missing_target_is_a_clear_error(tiny):
    with pytest.raises(DataQualityError, match="target column 'label' is not in the data"):
        compute_statistics(tiny, target="label")


def test_repeated_column_names_are_a_clear_error():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(DataQualityError, match="repeated: 'a'"):
        compute_statistics(frame)
