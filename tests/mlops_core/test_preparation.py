"""PrepareData's core: rows with a target are split; every value goes out unchanged."""

from __future__ import annotations

import io
import random

import pytest

from mlops_core.csv_reading import read_csv, write_csv_bytes
from mlops_core.preparation import prepare_split, split_csv
from mlops_core.settings import DataSettings
from mlops_core.splits import split_indices

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


def _whole_file_split(data: bytes, settings: DataSettings) -> tuple[bytes, bytes]:
    """The split as a DataFrame of the whole file gives it: the reference the chunks must meet."""
    _, frame = read_csv(data)
    labelled = frame[frame[settings.target].notna()].reset_index(drop=True)
    labels = labelled[settings.target].to_numpy() if settings.is_classification else None
    train, test = split_indices(len(labelled), test_size=settings.test_size, seed=settings.random_seed, labels=labels)
    return write_csv_bytes(labelled.iloc[train]), write_csv_bytes(labelled.iloc[test])


def _messy(rows: int, seed: int) -> bytes:
    """A byte-order mark, CRLF line ends, quoted commas, newlines and quotes in cells, missing
    targets in every NA spelling, and more than 10 classes (their names sort unlike numbers)."""
    rng = random.Random(seed)
    lines = ['\ufeffy,x,"q,uoted"']
    for _ in range(rows):
        y = rng.choice(["", "NA", "null", *[f"c{k}" for k in range(13)], "é", "Z", "a b"])
        x = rng.choice(["1", "1.0", "", '"multi\nline"', '"with ""quote"""', "NaN"])
        lines.append(f"{y},{x},{rng.random()}")
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize("chunk_rows", [1, 3, 64, 100_000])
@pytest.mark.parametrize("settings", [
    SETTINGS,
    DataSettings(target="y", problem_type="classification", test_size=0.3, random_seed=5),
    DataSettings(target="y", problem_type="regression", test_size=0.2, random_seed=9),
])
def test_chunked_reading_writes_byte_for_byte_the_whole_file_split(settings, chunk_rows):
    data = _messy(400, seed=chunk_rows)
    train, test = io.BytesIO(), io.BytesIO()
    counts = split_csv(io.BytesIO(data), settings, train=train, test=test, chunk_rows=chunk_rows)
    expected_train, expected_test = _whole_file_split(data, settings)
    assert (train.getvalue(), test.getvalue()) == (expected_train, expected_test)
    assert counts.train_rows + counts.test_rows + counts.dropped_rows == 400


def test_a_row_longer_than_the_header_is_refused_in_plain_words():
    with pytest.raises(ValueError, match="cannot be parsed as CSV: Expected 3 fields in line 22, saw 4"):
        prepare_split(DATA + b"a,1,2,3\n", SETTINGS)
