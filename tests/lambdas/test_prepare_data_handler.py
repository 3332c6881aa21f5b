"""PrepareData: the exact object version split into train/test CSV files under the run's paths."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from lambdas.prepare_data.handler import lambda_handler
from tests.lambdas.builders import ARTIFACTS_BUCKET, PENGUINS_SETTINGS, data_event, upload

KEY = "datasets/penguins/penguins.csv"
PATHS = {
    "train": f"s3://{ARTIFACTS_BUCKET}/models/penguins/data/v/train/",
    "test": f"s3://{ARTIFACTS_BUCKET}/models/penguins/data/v/test/",
}
# pandas' default spellings of a missing cell that occur in these tests.
MISSING = {"", "NA"}


def _prepare(s3, lambda_context, body: bytes, **settings):
    data = upload(s3, KEY, body)
    return lambda_handler(data_event(data, {**PENGUINS_SETTINGS, **settings}, paths=PATHS), lambda_context)


def _rows(s3, uri: str) -> list[dict[str, str]]:
    bucket, _, key = uri[len("s3://") :].partition("/")
    text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _input_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


@pytest.fixture
def prepared(s3, lambda_context, penguins_csv):
    return _prepare(s3, lambda_context, penguins_csv)


def test_files_are_written_as_train_csv_and_test_csv_under_the_paths(prepared):
    assert prepared["train"]["uri"] == PATHS["train"] + "train.csv"
    assert prepared["test"]["uri"] == PATHS["test"] + "test.csv"


def test_split_sizes_follow_test_size(prepared):
    assert prepared["test"]["rows"] == round(344 * 0.2)
    assert prepared["train"]["rows"] + prepared["test"]["rows"] == 344


def test_reported_row_counts_match_the_files(s3, prepared):
    assert len(_rows(s3, prepared["train"]["uri"])) == prepared["train"]["rows"]
    assert len(_rows(s3, prepared["test"]["uri"])) == prepared["test"]["rows"]


def test_split_is_stratified_by_class(s3, prepared):
    test = Counter(row["species"] for row in _rows(s3, prepared["test"]["uri"]))
    assert test == {"Adelie": round(152 * 0.2), "Gentoo": round(124 * 0.2), "Chinstrap": round(68 * 0.2)}


def test_rows_keep_their_values_and_missing_cells_become_empty(s3, prepared, penguins_csv):
    written = _rows(s3, prepared["train"]["uri"]) + _rows(s3, prepared["test"]["uri"])
    expected = [
        {name: "" if value in MISSING else value for name, value in row.items()} for row in _input_rows(penguins_csv)
    ]
    key = lambda row: tuple(row.values())  # noqa: E731
    assert sorted(written, key=key) == sorted(expected, key=key)


def test_header_keeps_the_input_columns_in_order(s3, prepared, penguins_csv):
    header = penguins_csv.decode().splitlines()[0]
    bucket, _, key = prepared["test"]["uri"][len("s3://") :].partition("/")
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()[0] == header


def test_same_data_and_seed_give_the_same_split(s3, lambda_context, penguins_csv, prepared):
    first = _rows(s3, prepared["test"]["uri"])
    _prepare(s3, lambda_context, penguins_csv)
    assert _rows(s3, prepared["test"]["uri"]) == first


def test_another_seed_gives_another_split(s3, lambda_context, penguins_csv, prepared):
    first = _rows(s3, prepared["test"]["uri"])
    _prepare(s3, lambda_context, penguins_csv, random_seed=7)
    assert _rows(s3, prepared["test"]["uri"]) != first


def test_rows_without_a_target_are_dropped(s3, lambda_context):
    body = b"species,x\n" + b"".join(f"{'A' if i % 2 else 'B'},{i}\n".encode() for i in range(20)) + b"NA,98\n,99\n"
    result = _prepare(s3, lambda_context, body)
    assert result["train"]["rows"] + result["test"]["rows"] == 20


def test_regression_split_is_random_with_the_requested_size(s3, lambda_context):
    body = b"mass,x\n" + b"".join(f"{i}.5,{i}\n".encode() for i in range(50))
    result = _prepare(s3, lambda_context, body, target="mass", problem_type="regression", test_size=0.3)
    assert (result["train"]["rows"], result["test"]["rows"]) == (35, 15)


def test_the_requested_version_is_split_not_the_latest(s3, lambda_context):
    first_body = b"species,x\n" + b"".join(f"{'A' if i % 2 else 'B'},first-{i}\n".encode() for i in range(20))
    first = upload(s3, KEY, first_body)
    upload(s3, KEY, first_body.replace(b"first", b"second"))
    result = lambda_handler(data_event(first, PENGUINS_SETTINGS, paths=PATHS), lambda_context)
    values = {row["x"] for row in _rows(s3, result["train"]["uri"]) + _rows(s3, result["test"]["uri"])}
    assert values == {f"first-{i}" for i in range(20)}
