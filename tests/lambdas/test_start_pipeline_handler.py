"""StartPipeline: one S3 upload event -> one deterministically named execution."""

from __future__ import annotations

import json

import pytest

from lambdas.start_pipeline.handler import lambda_handler
from mlops_core.naming import job_name, tuning_job_name, upload_execution_name
from tests.lambdas.builders import ARTIFACTS_BUCKET, DATA_BUCKET, object_created_event

KEY = "datasets/penguins/penguins.csv"


def _executions(sfn, state_machine_arn):
    return sfn.list_executions(stateMachineArn=state_machine_arn)["executions"]


def _input_of(sfn, execution_arn):
    return json.loads(sfn.describe_execution(executionArn=execution_arn)["input"])


@pytest.fixture
def started(state_machine_arn, penguins_settings, sfn, lambda_context):
    """The handler's answer to one good penguins upload."""
    return lambda_handler(object_created_event(KEY, version_id="v1", size=1234, etag="abc123"), lambda_context)


def test_good_upload_starts_one_execution_named_from_bucket_key_and_version(started, sfn, state_machine_arn):
    [execution] = _executions(sfn, state_machine_arn)
    assert execution["name"] == upload_execution_name("penguins", DATA_BUCKET, KEY, "v1")
    assert started["status"] == "started"
    assert started["execution_arn"] == execution["executionArn"]


def test_good_upload_passes_the_exact_execution_input(started, sfn, penguins_settings):
    run_id = upload_execution_name("penguins", DATA_BUCKET, KEY, "v1")
    root = f"s3://{ARTIFACTS_BUCKET}/models/penguins"
    assert _input_of(sfn, started["execution_arn"]) == {
        "model": "penguins",
        "run_id": run_id,
        "poll_seconds": 7,
        "data": {"bucket": DATA_BUCKET, "key": KEY, "version_id": "v1", "etag": "abc123", "size": 1234},
        "settings": penguins_settings,
        "jobs": {
            "training": job_name("penguins", DATA_BUCKET, KEY, "v1", "train"),
            "evaluation": job_name("penguins", DATA_BUCKET, KEY, "v1", "eval"),
            "validation": job_name("penguins", DATA_BUCKET, KEY, "v1", "validate"),
            "preparation": job_name("penguins", DATA_BUCKET, KEY, "v1", "prepare"),
            "tuning": tuning_job_name("penguins", DATA_BUCKET, KEY, "v1"),
        },
        "paths": {
            "train": f"{root}/data/v1/train/",
            "test": f"{root}/data/v1/test/",
            "training_output": f"{root}/runs/{run_id}/training/",
            "evaluation_output": f"{root}/runs/{run_id}/evaluation/",
            "evaluation_report": f"{root}/runs/{run_id}/evaluation/evaluation.json",
            "data_quality": f"{root}/data/v1/quality/",
            "data_statistics": f"{root}/data/v1/quality/statistics.json",
            "data_constraints": f"{root}/data/v1/quality/constraints.json",
            "data_violations": f"{root}/data/v1/quality/constraint_violations.json",
            "data_summary": f"{root}/data/v1/quality/summary.md",
            "data_profile": f"{root}/data/v1/quality/profile.json",
            "data_contract": f"{root}/contract/",
            "user_contract": f"s3://{DATA_BUCKET}/contracts/penguins/",
            "gate_report": f"{root}/runs/{run_id}/evaluation/gate.json",
            "preparation_output": f"{root}/runs/{run_id}/preparation/",
            "preparation_result": f"{root}/runs/{run_id}/preparation/result.json",
            "accepted_data": f"{root}/data/latest.json",
        },
        "objects": {
            "gate_report": {"Bucket": ARTIFACTS_BUCKET, "Key": f"models/penguins/runs/{run_id}/evaluation/gate.json"},
            "accepted_data": {"Bucket": ARTIFACTS_BUCKET, "Key": "models/penguins/data/latest.json"},
            "preparation_result": {"Bucket": ARTIFACTS_BUCKET,
                                   "Key": f"models/penguins/runs/{run_id}/preparation/result.json"},
        },
        "lineage": {"experiment": "MlopsStack-penguins", "trial": f"MlopsStack-penguins-{run_id}"},
    }


def test_redelivered_event_while_the_run_is_going_starts_no_second_execution(
    started, sfn, state_machine_arn, lambda_context
):
    again = lambda_handler(object_created_event(KEY, version_id="v1", size=1234, etag="abc123"), lambda_context)
    assert len(_executions(sfn, state_machine_arn)) == 1
    assert again["execution_arn"] == started["execution_arn"]


def test_redelivered_event_after_the_run_ended_is_reported_as_duplicate(
    started, sfn, state_machine_arn, lambda_context
):
    sfn.stop_execution(executionArn=started["execution_arn"])
    again = lambda_handler(object_created_event(KEY, version_id="v1", size=1234, etag="abc123"), lambda_context)
    assert again["status"] == "duplicate"
    assert again["execution_arn"] == started["execution_arn"]
    assert len(_executions(sfn, state_machine_arn)) == 1


def test_new_version_of_the_same_key_starts_a_second_execution(started, sfn, state_machine_arn, lambda_context):
    lambda_handler(object_created_event(KEY, version_id="v2"), lambda_context)
    assert len(_executions(sfn, state_machine_arn)) == 2


def test_unknown_model_starts_a_run_rejected_as_unknown_model(
    state_machine_arn, penguins_settings, sfn, lambda_context
):
    key = "datasets/no-such-model/data.csv"
    result = lambda_handler(object_created_event(key), lambda_context)
    execution_input = _input_of(sfn, result["execution_arn"])
    assert result["rejection"] == execution_input["rejection"]["error"] == "UnknownModel"
    assert execution_input["run_id"] == upload_execution_name("no-such-model", DATA_BUCKET, key, "v1")
    assert set(execution_input) == {"model", "run_id", "data", "rejection"}


def test_unknown_model_cause_names_the_model_the_configured_ones_and_the_folder_rule(
    state_machine_arn, penguins_settings, sfn, lambda_context
):
    result = lambda_handler(object_created_event("datasets/no-such-model/data.csv"), lambda_context)
    cause = _input_of(sfn, result["execution_arn"])["rejection"]["cause"]
    assert "'no-such-model'" in cause
    assert "Configured models: penguins." in cause
    assert "datasets/<model>/" in cause


def test_key_outside_a_model_folder_is_rejected_as_unknown_model(
    state_machine_arn, penguins_settings, sfn, lambda_context
):
    result = lambda_handler(object_created_event("datasets/data.csv"), lambda_context)
    execution_input = _input_of(sfn, result["execution_arn"])
    assert execution_input["rejection"]["error"] == "UnknownModel"
    assert execution_input["model"] is None


def test_non_csv_upload_starts_a_run_rejected_as_unsupported_file(
    state_machine_arn, penguins_settings, sfn, lambda_context
):
    result = lambda_handler(object_created_event("datasets/penguins/notes.txt"), lambda_context)
    rejection = _input_of(sfn, result["execution_arn"])["rejection"]
    assert rejection["error"] == "UnsupportedFile"
    assert "'datasets/penguins/notes.txt'" in rejection["cause"]


def test_upper_case_csv_extension_is_accepted(state_machine_arn, penguins_settings, sfn, lambda_context):
    result = lambda_handler(object_created_event("datasets/penguins/DATA.CSV"), lambda_context)
    assert result["rejection"] is None
    assert "paths" in _input_of(sfn, result["execution_arn"])


def test_folder_key_is_ignored_without_starting_anything(
    state_machine_arn, penguins_settings, sfn, lambda_context
):
    result = lambda_handler(object_created_event("datasets/penguins/", size=0), lambda_context)
    assert result["status"] == "ignored"
    assert _executions(sfn, state_machine_arn) == []


def test_url_encoded_key_is_decoded_before_use(state_machine_arn, penguins_settings, sfn, lambda_context):
    # S3 events carry 'my data+1.csv' as 'my+data%2B1.csv'.
    result = lambda_handler(object_created_event("datasets/penguins/my+data%2B1.csv"), lambda_context)
    data = _input_of(sfn, result["execution_arn"])["data"]
    assert data["key"] == "datasets/penguins/my data+1.csv"


def test_missing_version_id_is_carried_as_the_null_version(
    state_machine_arn, penguins_settings, sfn, lambda_context
):
    result = lambda_handler(object_created_event(KEY, version_id=None), lambda_context)
    assert _input_of(sfn, result["execution_arn"])["data"]["version_id"] == "null"
