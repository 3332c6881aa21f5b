"""PrepareData's core: rows with a target are split; every value goes out unchanged."""

from __future__ import annotations

import pytest

from mlops_core.preparation import prepare_split
from mlops_core.settings import DataSettings

SETTINGS = DataSettings(target="y", problem_type="classification", test_size=0.25, random_seed=3)
DATA = b"y,x,z\n" + b"".join(f"{'a' if i % 2 else 'b'},{i}.0,{'' if i % 3 else 'NA'}\n".encode() for i in range(20))


def test_rows_without_target_are_dropped_and_counted():
    split = prepare_split(DATA + b"NA,1,1\n,2,2\n", SETTINGS)
    assert (split.train_rows + split.test_rows, split.dropped_rows) == (20, 2)


def test_both_parts_have_the_input_header():
    split = prepare_split(DATA, SETTINGS)
    assert split.train_csv.splitlines()[0] == split.test_csv.splitlines()[0] == b"y,x,z"


def test_values_are_unchanged_and_missing_is_written_empty():
    split = prepare_split(DATA, SETTINGS)
    lines = split.train_csv.splitlines()[1:] + split.test_csv.splitlines()[1:]
    expected = DATA.replace(b",NA\n", b",\n").splitlines()[1:]
    assert sorted(lines) == sorted(expected)


def test_missing_target_column_raises_in_plain_words():
    with pytest.raises(ValueError, match="target column 'y'"):
        prepare_split(b"a,b\n1,2\n", SETTINGS)
