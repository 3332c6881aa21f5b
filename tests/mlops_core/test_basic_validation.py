"""Basic validation: problems are named by check and column, bad data never raises."""

from __future__ import annotations

import pytest

from mlops_core.basic_validation import validate_csv, validate_upload
from mlops_core.settings import DataSettings

CLASSIFICATION = DataSettings(target="y", problem_type="classification")
REGRESSION = DataSettings(target="y", problem_type="regression")
GOOD = b"y,x\n" + b"".join(f"{'a' if i % 2 else 'b'},{i}\n".encode() for i in range(12))


def _checks(data: bytes, settings: DataSettings = CLASSIFICATION) -> list[tuple[str, str | None]]:
    report = validate_csv(data, settings, source="file.csv")
    return [(problem.check, problem.column) for problem in report.problems]


def test_good_file_is_valid():
    report = validate_csv(GOOD, CLASSIFICATION, source="file.csv")
    assert (report.valid, report.rows, report.columns) == (True, 12, ["y", "x"])


def test_valid_summary_states_rows_columns_and_classes():
    summary = validate_csv(GOOD, CLASSIFICATION, source="file.csv").summary()
    assert summary == "file.csv is valid: 12 rows, 2 columns; target 'y' has 12 values (0 missing) in 2 classes."


def test_all_problems_of_the_target_are_reported_together():
    assert _checks(b"y,x\na,1\na,2\n") == [("too_few_classes", "y"), ("too_few_rows", "y")]


def test_rows_without_target_do_not_count_towards_min_rows():
    data = GOOD + b"NA,1\n" * 5
    assert _checks(data, DataSettings(target="y", problem_type="classification", min_rows=13)) == [
        ("too_few_rows", "y")
    ]


def test_regression_target_must_be_numeric():
    data = b"y,x\n" + b"1.5,1\n" * 11 + b"lots,2\n"
    assert _checks(data, REGRESSION) == [("target_not_numeric", "y")]


def test_regression_with_numeric_target_is_valid():
    data = b"y,x\n" + b"".join(f"{i}.5,{i}\n".encode() for i in range(12))
    assert _checks(data, REGRESSION) == []


def test_unnamed_column_is_reported():
    assert _checks(b",y\n0,a\n") == [("unnamed_column", None)]


def test_missing_target_suggests_a_near_match():
    report = validate_csv(b"Y,x\na,1\n", CLASSIFICATION, source="f")
    assert "did you mean 'Y'?" in report.problems[0].message


def test_summary_of_an_invalid_file_names_source_check_and_column():
    summary = validate_csv(b"y,x\na,1\n", CLASSIFICATION, source="s3://b/k (version 1)").summary()
    assert summary.startswith("s3://b/k (version 1) failed data validation with 2 problems:")
    assert "[too_few_classes] column 'y'" in summary and "[too_few_rows] column 'y'" in summary


def test_oversized_upload_is_not_read():
    def read():
        raise AssertionError("an oversized object must not be downloaded")

    settings = DataSettings(target="y", problem_type="classification", max_validation_bytes=10)
    report = validate_upload(11, read, settings, source="f")
    assert [problem.check for problem in report.problems] == ["size_limit"]


@pytest.mark.parametrize("data", [b"\x00\x01", b"\xff\xfe", b'"', b"y\n", b"a,a\n1,2\n"])
def test_bad_data_is_reported_not_raised(data):
    assert validate_csv(data, CLASSIFICATION, source="f").valid is False
