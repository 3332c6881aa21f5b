"""Retraining without an upload: `mlops retrain` starts a run on the model's latest accepted
data version; the same episode twice starts one run."""

from __future__ import annotations

import json

import pytest

from mlops.runs import wait_for_execution
from mlops_core.naming import retraining_execution_name

pytestmark = pytest.mark.e2e
EPISODE = "drift-alarm-e2e-1"


@pytest.fixture(scope="module")
def retraining(stack, churn_runs, mlops):
    result = mlops("retrain", "churn", "--episode", EPISODE, "--reason", "feature drift on f3")
    assert result.exit_code == 0, result.output
    name = retraining_execution_name("churn", EPISODE)
    arn = stack.outputs["TrainingPipelineArn"].replace(":stateMachine:", ":execution:") + f":{name}"
    return result, wait_for_execution(stack.sfn, arn, timeout=300)


def _named(stack, name: str) -> list[dict]:
    return [e for e in stack.executions() if e["name"] == name]


def test_the_latest_accepted_data_record_is_the_last_validated_upload(stack, churn_runs):
    version_id, summary = churn_runs["little"]  # rejected by the gate, but its data was accepted
    bucket, key = summary.input["objects"]["accepted_data"]["Bucket"], summary.input["objects"]["accepted_data"]["Key"]
    record = json.loads(stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert record["data"]["version_id"] == version_id and record["run_id"] == summary.input["run_id"]


def test_retrain_starts_a_run_on_the_latest_accepted_data(stack, churn_runs, retraining):
    result, summary = retraining
    assert f"Run {retraining_execution_name('churn', EPISODE)} started" in result.output
    assert summary.input["data"]["version_id"] == churn_runs["little"][0]
    assert summary.input["retraining"] == {"episode": EPISODE, "reason": "feature drift on f3",
                                           "accepted_by": churn_runs["little"][1].input["run_id"]}
    # The same worse data again: the run goes through every stage to the same gate verdict.
    assert (summary.status, summary.error) == ("FAILED", "ModelRejected")


def test_the_same_episode_again_starts_nothing(stack, retraining, mlops):
    name = retraining_execution_name("churn", EPISODE)
    result = mlops("retrain", "churn", "--episode", EPISODE)
    assert result.exit_code == 0, result.output
    assert "starts nothing new" in result.output
    stack.cloud.bus.wait_idle()
    assert len(_named(stack, name)) == 1
    answers = [json.loads(d.detail) for d in stack.cloud.bus.deliveries
               if d.event.get("source") == "mlops.retraining" and d.event["detail"]["episode"] == EPISODE]
    assert [a["status"] for a in answers] == ["started", "duplicate"]


def test_retrain_of_an_unknown_model_names_the_configured_ones(mlops):
    result = mlops("retrain", "no-such-model")
    assert result.exit_code == 1
    assert "model 'no-such-model' is not configured" in result.output and "churn" in result.output
