"""Object keys with path tricks, extreme lengths and odd characters, uploaded as a user would:
those the pipeline cannot carry end in UnsupportedKey in the run's first state, with the reason
and before anything reads them; unicode, spaces and '+' train like any other key."""

from __future__ import annotations

import pytest

from tests.e2e_security.support import WORK_STATES, entered_states, finish, start_upload

pytestmark = pytest.mark.e2e
S3_MAX_KEY_BYTES = 1024
PREFIX = "datasets/penguins/"
UNSUPPORTED = {
    "dot-dot": (f"{PREFIX}../penguins/escape.csv", "'.' or '..' path segment"),
    "climbing out": ("datasets/../../etc/passwd.csv", "'.' or '..' path segment"),
    "dot": (f"{PREFIX}./here.csv", "'.' or '..' path segment"),
    "double slash": (f"{PREFIX}/double.csv", "empty path segment ('//')"),
    "double slash first": ("datasets//penguins/x.csv", "empty path segment ('//')"),
    "1024 bytes": (PREFIX + "k" * (S3_MAX_KEY_BYTES - len(PREFIX) - 4) + ".csv", "1024 characters long"),
    "1024 bytes of unicode": (PREFIX + "é" * 501 + ".csv", "523 characters long"),
    "parentheses": (f"{PREFIX}report (final).csv", "contains '(', ')'"),
    "percent and hash": (f"{PREFIX}50%#1.csv", "contains '#', '%'"),
}
UNICODE_KEY = f"{PREFIX}données été+2024 v1 ペンギン.csv"


@pytest.fixture(scope="module")
def rejected(stack, good_run, penguins_csv):
    assert len(UNSUPPORTED["1024 bytes of unicode"][0].encode()) == S3_MAX_KEY_BYTES
    arns = {name: start_upload(stack, key, penguins_csv) for name, (key, _) in UNSUPPORTED.items()}
    return finish(stack, arns), arns


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_a_key_the_pipeline_cannot_carry_fails_at_once_saying_why(stack, rejected, name):
    summaries, arns = rejected
    summary = summaries[name]
    assert (summary.status, summary.error) == ("FAILED", "UnsupportedKey")
    assert "RejectUnsupportedKey" in entered_states(stack, arns[name])
    assert UNSUPPORTED[name][1] in summary.cause
    assert "rename" in summary.cause or "Use" in summary.cause  # what to do about it


@pytest.mark.parametrize("name", UNSUPPORTED)
def test_nothing_reads_an_unsupported_key(stack, rejected, name):
    _, arns = rejected
    assert entered_states(stack, arns[name]) & WORK_STATES == set()


@pytest.fixture(scope="module")
def unicode_run(stack, good_run, penguins_csv):
    [summary] = finish(stack, {"unicode": start_upload(stack, UNICODE_KEY, penguins_csv)}).values()
    return summary


def test_unicode_spaces_and_plus_in_a_key_train_and_register(stack, unicode_run):
    assert unicode_run.status == "SUCCEEDED", (unicode_run.failed_state, unicode_run.error, unicode_run.cause)
    assert unicode_run.input["data"]["key"] == UNICODE_KEY  # S3's URL-encoding undone exactly once
    package = stack.sagemaker.describe_model_package(
        ModelPackageName=unicode_run.output["registration"]["ModelPackageArn"])
    assert package["CustomerMetadataProperties"]["DataKey"] == UNICODE_KEY
