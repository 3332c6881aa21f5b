"""ValidateData: the exact object version is checked; bad data is a result, never an error."""

from __future__ import annotations

import pytest

from lambdas.validate_data.handler import lambda_handler
from tests.lambdas.builders import PENGUINS_SETTINGS, data_event, upload

KEY = "datasets/penguins/upload.csv"
GOOD_ROWS = "".join(f"{'Adelie' if i % 2 else 'Gentoo'},{i}\n" for i in range(12))


def _validate(s3, lambda_context, body: bytes, **settings):
    data = upload(s3, KEY, body)
    return lambda_handler(data_event(data, {**PENGUINS_SETTINGS, **settings}), lambda_context)


def test_penguins_file_with_missing_values_is_valid(s3, lambda_context, penguins_csv):
    result = _validate(s3, lambda_context, penguins_csv)
    assert (result["valid"], result["problems"]) == (True, [])
    assert result["rows"] == 344
    assert result["columns"][0] == "species"
    assert "3 classes" in result["summary"]


def test_result_has_the_contract_shape(s3, lambda_context, penguins_csv):
    result = _validate(s3, lambda_context, penguins_csv)
    assert set(result) == {"valid", "rows", "columns", "problems", "summary"}


BAD_INPUTS = {
    "empty file": (b"", "empty_file", None),
    "binary content": (bytes(range(256)) * 4, "binary_content", None),
    "not UTF-8": (("species,x\n" + "Pingüino,1\n" * 12).encode("latin-1"), "text_encoding", None),
    "unparsable": (b'species,x\n"Adelie,1\n' + b"Gentoo,2,3\n", "csv_syntax", None),
    "header only": (b"species,island\n", "header_only", None),
    "duplicated column": (b"species,x,x\n" + b"Adelie,1,2\n" * 12, "duplicate_columns", "x"),
    "missing target column": (b"kind,x\n" + b"Adelie,1\n" * 12, "missing_target_column", "species"),
    "target entirely missing": (b"species,x\n" + b"NA,1\n,2\n" * 6, "target_all_missing", "species"),
    "one class only": (b"species,x\n" + b"Adelie,1\n" * 12, "too_few_classes", "species"),
    "too few rows": (b"species,x\nAdelie,1\nGentoo,2\n", "too_few_rows", "species"),
}


@pytest.mark.parametrize("body, check, column", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_invalid_with_a_problem_naming_check_and_column(s3, lambda_context, body, check, column):
    result = _validate(s3, lambda_context, body)
    assert result["valid"] is False
    assert (result["problems"][0]["check"], result["problems"][0]["column"]) == (check, column)


@pytest.mark.parametrize("body, check, column", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_summary_names_the_check_and_column(s3, lambda_context, body, check, column):
    summary = _validate(s3, lambda_context, body)["summary"]
    assert f"[{check}]" in summary
    assert column is None or f"column '{column}'" in summary


def test_missing_target_message_lists_the_columns_found(s3, lambda_context):
    result = _validate(s3, lambda_context, b"kind,island\n" + b"Adelie,Biscoe\n" * 12)
    assert "columns found: 'kind', 'island'" in result["problems"][0]["message"]


def test_min_rows_comes_from_settings(s3, lambda_context):
    result = _validate(s3, lambda_context, ("species,x\n" + GOOD_ROWS).encode(), min_rows=20)
    assert [p["check"] for p in result["problems"]] == ["too_few_rows"]


def test_object_above_the_size_limit_is_refused_with_a_clear_problem(s3, lambda_context, penguins_csv):
    result = _validate(s3, lambda_context, penguins_csv, max_validation_bytes=1000)
    assert result["valid"] is False
    assert result["problems"][0]["check"] == "size_limit"
    assert "max_validation_bytes" in result["summary"]


def test_the_requested_version_is_validated_not_the_latest(s3, lambda_context, penguins_csv):
    first = upload(s3, KEY, b"")
    upload(s3, KEY, penguins_csv)
    result = lambda_handler(data_event(first, PENGUINS_SETTINGS), lambda_context)
    assert result["problems"][0]["check"] == "empty_file"
