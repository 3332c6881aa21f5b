"""StartPipeline and events that are not this stack's uploads, or keys it cannot carry: ignored
or rejected with the reason, and nothing else started."""

from __future__ import annotations

import json

import pytest

from lambdas.start_pipeline.handler import lambda_handler
from tests.lambdas.builders import DATA_BUCKET, object_created_event


def _executions(sfn, arn):
    return sfn.list_executions(stateMachineArn=arn)["executions"]


@pytest.mark.parametrize(("change", "words"), [
    (lambda e: e.update(account="999999999999"), "from account '999999999999'"),
    (lambda e: e["detail"]["bucket"].update(name="someone-elses-bucket"), "for bucket 'someone-elses-bucket'"),
    (lambda e: e.update(source="mlops.fake"), "not an S3 'Object Created' event"),
    (lambda e: e.update({"detail-type": "Object Deleted"}), "not an S3 'Object Created' event"),
    (lambda e: e["detail"]["object"].update(key="contracts/penguins/constraints.json"), "outside datasets/"),
])
def test_a_foreign_event_is_ignored_with_its_reason_and_starts_nothing(
        state_machine_arn, penguins_settings, sfn, lambda_context, change, words):
    event = object_created_event("datasets/penguins/penguins.csv")
    change(event)
    result = lambda_handler(event, lambda_context)
    assert result["status"] == "ignored" and words in result["reason"]
    assert _executions(sfn, state_machine_arn) == []


def test_the_data_bucket_comes_from_the_environment(state_machine_arn, penguins_settings, sfn, lambda_context,
                                                    monkeypatch):
    monkeypatch.setenv("DATA_BUCKET", "another-stacks-bucket")
    result = lambda_handler(object_created_event("datasets/penguins/penguins.csv"), lambda_context)
    assert result["status"] == "ignored" and "not this stack's data bucket another-stacks-bucket" in result["reason"]
    assert DATA_BUCKET in result["reason"]


@pytest.mark.parametrize(("encoded_key", "words"), [
    ("datasets/penguins/../penguins/x.csv", "'..' path segment"),
    ("datasets/penguins//x.csv", "empty path segment"),
    ("datasets/penguins/" + "a" * 1000 + ".csv", "characters long"),
    ("datasets/penguins/report+%28final%29.csv", "contains '(', ')'"),
])
def test_a_key_the_pipeline_cannot_carry_starts_a_run_rejected_as_unsupported_key(
        state_machine_arn, penguins_settings, sfn, lambda_context, encoded_key, words):
    result = lambda_handler(object_created_event(encoded_key), lambda_context)
    execution_input = json.loads(sfn.describe_execution(executionArn=result["execution_arn"])["input"])
    assert result["rejection"] == execution_input["rejection"]["error"] == "UnsupportedKey"
    assert words in execution_input["rejection"]["cause"]
    assert set(execution_input) == {"model", "run_id", "data", "rejection"}  # no paths, no jobs


def test_unicode_spaces_and_plus_in_a_key_are_fine(state_machine_arn, penguins_settings, sfn, lambda_context):
    # 'données été+1.csv' as S3 sends it in the event: form-encoded.
    result = lambda_handler(object_created_event("datasets/penguins/donn%C3%A9es+%C3%A9t%C3%A9%2B1.csv"),
                            lambda_context)
    assert result["rejection"] is None
    data = json.loads(sfn.describe_execution(executionArn=result["execution_arn"])["input"])["data"]
    assert data["key"] == "datasets/penguins/données été+1.csv"
