"""StartPipeline: a retraining request -> one run on the model's latest accepted data version,
named after the episode so one episode starts one run."""

from __future__ import annotations

import json

import pytest

from lambdas.start_pipeline.handler import lambda_handler
from mlops_core.naming import retraining_execution_name, run_job_name, retraining_hash
from tests.lambdas.builders import ARTIFACTS_BUCKET, DATA_BUCKET

DATA = {"bucket": DATA_BUCKET, "key": "datasets/penguins/p.csv", "version_id": "v7", "etag": "e", "size": 10}


def _request(model: str = "penguins", episode: str = "drift-alarm-2026-11-27T10:00:00Z", **detail) -> dict:
    return {"version": "0", "id": "1", "source": "mlops.retraining", "detail-type": "Retraining Requested",
            "account": "123456789012", "region": "us-east-1", "time": "2026-11-27T10:00:00Z", "resources": [],
            "detail": {"model": model, "episode": episode, "reason": "feature drift", **detail}}


@pytest.fixture
def accepted(s3):
    record = {"model": "penguins", "data": DATA, "run_id": "up-penguins-0123456789abcdef"}
    s3.put_object(Bucket=ARTIFACTS_BUCKET, Key="models/penguins/data/latest.json", Body=json.dumps(record))
    return record


def _executions(sfn, arn):
    return sfn.list_executions(stateMachineArn=arn)["executions"]


def test_a_request_starts_a_run_on_the_latest_accepted_data(accepted, state_machine_arn, penguins_settings, sfn,
                                                            lambda_context):
    result = lambda_handler(_request(), lambda_context)
    [execution] = _executions(sfn, state_machine_arn)
    episode = "drift-alarm-2026-11-27T10:00:00Z"
    assert execution["name"] == retraining_execution_name("penguins", episode) == result["execution_name"]
    execution_input = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
    assert execution_input["data"] == DATA
    assert execution_input["retraining"] == {"episode": episode, "reason": "feature drift",
                                             "accepted_by": "up-penguins-0123456789abcdef"}
    # Job names come from the retraining run, so they never clash with the upload run's jobs.
    assert execution_input["jobs"]["training"] == run_job_name("penguins", retraining_hash("penguins", episode), "train")
    assert execution_input["paths"]["train"].endswith("/models/penguins/data/v7/train/")


def test_the_same_episode_twice_starts_one_run(accepted, state_machine_arn, penguins_settings, sfn, lambda_context):
    first = lambda_handler(_request(), lambda_context)
    second = lambda_handler(_request(reason="delivered again"), lambda_context)
    assert len(_executions(sfn, state_machine_arn)) == 1
    assert (first["status"], second["status"]) == ("started", "duplicate")


def test_another_episode_starts_another_run(accepted, state_machine_arn, penguins_settings, sfn, lambda_context):
    lambda_handler(_request(episode="a"), lambda_context)
    lambda_handler(_request(episode="b"), lambda_context)
    assert len(_executions(sfn, state_machine_arn)) == 2


def test_no_accepted_data_yet_starts_nothing_and_says_why(s3, state_machine_arn, penguins_settings, sfn,
                                                          lambda_context):
    result = lambda_handler(_request(), lambda_context)
    assert result["status"] == "ignored"
    assert "no accepted data version yet" in result["reason"] and "datasets/penguins/" in result["reason"]
    assert _executions(sfn, state_machine_arn) == []


def test_an_unknown_model_starts_nothing(s3, state_machine_arn, penguins_settings, sfn, lambda_context):
    result = lambda_handler(_request(model="otters"), lambda_context)
    assert (result["status"], result["model"]) == ("ignored", "otters")
    assert "no model named 'otters'" in result["reason"]


def test_a_request_without_an_episode_is_an_error_naming_the_field(s3, state_machine_arn, lambda_context):
    with pytest.raises(ValueError, match="detail.episode"):
        lambda_handler(_request(episode=" "), lambda_context)
