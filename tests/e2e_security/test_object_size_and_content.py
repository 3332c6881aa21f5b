"""Objects far larger than the model's limit, and files that are not what their name or
content type says: each run fails with a named error and a cause in plain words, and none
of them trains anything."""

from __future__ import annotations

import gzip

import pytest

from tests.e2e_security.support import WORK_STATES, entered_states, finish, start_upload

pytestmark = pytest.mark.e2e
LIMIT = 200_000  # security.json: validation.max_object_bytes
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def huge(penguins_csv) -> bytes:
    rows = penguins_csv.split(b"\n", 1)[1]
    return penguins_csv + rows * (5 * LIMIT // len(rows))  # five times the limit, still a valid CSV


@pytest.fixture(scope="module")
def runs(stack, good_run, penguins_csv, huge):
    uploads = {
        "huge": ("datasets/penguins/huge.csv", huge, {}),
        "image named csv": ("datasets/penguins/photo.csv", PNG, {"ContentType": "image/png"}),
        "gzip named csv": ("datasets/penguins/packed.csv", gzip.compress(penguins_csv), {"ContentType": "application/gzip"}),
        "utf-16": ("datasets/penguins/utf16.csv", penguins_csv.decode().encode("utf-16"), {"ContentType": "text/csv"}),
        "html page": ("datasets/penguins/page.csv", b"<html><body><p>Not found</p></body></html>\n",
                      {"ContentType": "text/html"}),
        "gzip archive": ("datasets/penguins/penguins.csv.gz", gzip.compress(penguins_csv), {}),
        "pickle": ("datasets/penguins/model.pkl", b"\x80\x04\x95\x00\x00", {"ContentType": "application/octet-stream"}),
    }
    arns = {name: start_upload(stack, key, body, **put) for name, (key, body, put) in uploads.items()}
    return finish(stack, arns), arns


def test_an_object_far_above_the_limit_fails_before_anything_reads_it(stack, runs, huge):
    summaries, arns = runs
    summary = summaries["huge"]
    assert (summary.status, summary.error, summary.failed_state) == ("FAILED", "ObjectTooLarge", "ObjectTooLargeCause")
    assert f"The object is {len(huge)} bytes, more than the {LIMIT} bytes model penguins accepts" in summary.cause
    assert "validation.max_object_bytes" in summary.cause
    assert entered_states(stack, arns["huge"]) & WORK_STATES == set()


@pytest.mark.parametrize(("name", "check"), [
    ("image named csv", "[binary_content]"),
    ("gzip named csv", "[binary_content]"),
    ("utf-16", "[binary_content]"),
    ("html page", "[missing_target_column]"),
])
def test_content_that_is_not_a_csv_table_fails_validation_naming_the_check(runs, name, check):
    summary = runs[0][name]
    assert (summary.status, summary.error) == ("FAILED", "DataValidationFailed"), (summary.error, summary.cause)
    assert check in summary.cause


@pytest.mark.parametrize(("name", "key"), [("gzip archive", "penguins.csv.gz"), ("pickle", "model.pkl")])
def test_a_file_that_is_not_named_csv_is_refused_without_being_read(stack, runs, name, key):
    summaries, arns = runs
    summary = summaries[name]
    assert (summary.status, summary.error) == ("FAILED", "UnsupportedFile")
    assert key in summary.cause and "Only CSV files" in summary.cause
    assert entered_states(stack, arns[name]) & WORK_STATES == set()


def test_no_bad_file_got_past_validation(stack, runs):
    summaries, arns = runs
    for name, arn in arns.items():
        assert not {"PrepareData", "CreateTrainingJob"} & entered_states(stack, arn), name
