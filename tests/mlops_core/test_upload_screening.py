"""What StartPipeline refuses before looking at a model: foreign events and keys the pipeline
cannot carry to the model registry."""

from __future__ import annotations

import pytest

from mlops_core.upload_screening import (
    MAX_KEY_CHARS,
    UNSUPPORTED_KEY,
    foreign_event_problem,
    key_problem,
    unsupported_key_plan,
)
from mlops_core.uploads import UploadedObject

ACCOUNT, BUCKET = "123456789012", "data"


def _event(**changes) -> dict:
    event = {"source": "aws.s3", "detail-type": "Object Created", "account": ACCOUNT,
             "detail": {"bucket": {"name": BUCKET}, "object": {"key": "datasets/penguins/a.csv"}}}
    for name, value in changes.items():
        event[name.replace("_", "-")] = value
    return event


def _problem(event) -> str | None:
    return foreign_event_problem(event, data_bucket=BUCKET, account=ACCOUNT)


def test_an_upload_to_the_data_bucket_is_not_foreign():
    assert _problem(_event()) is None


@pytest.mark.parametrize(("changes", "words"), [
    ({"source": "mlops.fake"}, "not an S3 'Object Created' event (source 'mlops.fake'"),
    ({"detail_type": "Object Deleted"}, "detail-type 'Object Deleted'"),
    ({"account": "999999999999"}, "from account '999999999999', not this stack's account 123456789012"),
    ({"detail": {"bucket": {"name": "other"}, "object": {"key": "datasets/penguins/a.csv"}}},
     "for bucket 'other', not this stack's data bucket data"),
    ({"detail": {"bucket": {"name": BUCKET}, "object": {}}}, "names no object"),
    ({"detail": "junk"}, "for bucket None"),
    ({"detail": {"bucket": {"name": BUCKET}, "object": {"key": "contracts/penguins/constraints.json"}}},
     "outside datasets/"),
])
def test_foreign_events_are_named_for_what_is_wrong(changes, words):
    assert words in _problem(_event(**changes))


@pytest.mark.parametrize("key", [
    "datasets/penguins/penguins.csv",
    "datasets/penguins/données été 2024.csv",        # unicode letters and spaces
    "datasets/penguins/run+1 = final@v2.csv",         # the punctuation the registry records
    "datasets/penguins/年度/データ.csv",
    "datasets/penguins/" + "a" * (MAX_KEY_CHARS - len("datasets/penguins/.csv")) + ".csv",
])
def test_keys_the_registry_can_record_pass(key):
    assert key_problem(key) is None


@pytest.mark.parametrize(("key", "words"), [
    ("datasets/penguins/../penguins/x.csv", "'.' or '..' path segment"),
    ("datasets/../x.csv", "'.' or '..' path segment"),
    ("datasets/penguins/./x.csv", "'.' or '..' path segment"),
    ("datasets/penguins//x.csv", "empty path segment ('//')"),
    ("datasets//penguins/x.csv", "empty path segment"),
    ("datasets/penguins/" + "a" * 1000 + ".csv", "is 1022 characters long"),
    ("datasets/penguins/report (final).csv", "contains '(', ')'"),
    ("datasets/penguins/50%.csv", "contains '%'"),
    ("datasets/penguins/tab\there.csv", "contains '\\t'"),
    ("datasets/penguins/cafe\u0301.csv", "contains '\u0301'"),  # a combining accent (\p{M}) is refused
])
def test_keys_the_pipeline_cannot_carry_are_refused_with_the_reason(key, words):
    assert words in key_problem(key)


def test_a_very_long_key_is_shown_shortened_in_the_cause():
    cause = key_problem("datasets/penguins/" + "é" * 300 + "(.csv")
    assert len(cause) < 400 and "characters long" in cause


def test_an_unsupported_key_starts_a_run_that_fails_at_once():
    upload = UploadedObject(bucket=BUCKET, key="datasets/penguins/../x.csv", version_id="v1", etag="e", size=3)
    plan = unsupported_key_plan(upload, "the reason")
    assert plan.rejection == UNSUPPORTED_KEY and plan.model == "penguins"
    assert plan.execution_input["rejection"] == {"error": UNSUPPORTED_KEY, "cause": "the reason"}
    assert plan.execution_name.startswith("up-penguins-")
