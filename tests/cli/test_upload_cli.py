"""`mlops upload` against the embedded cloud: the upload starts the training pipeline through
the real S3 -> EventBridge -> StartPipeline route, the command names the run it starts, follows
it with --wait, and says what to do when it cannot upload."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mlops.runs import execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name
from tests.e2e.harness import PENGUINS, deployed_stack, operator_cli

CONFIG = Path(__file__).with_name("upload_model.json")
STACK_NAME = json.loads(CONFIG.read_text())["stack_name"]
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with deployed_stack(CONFIG, tmp_path_factory) as deployed:
        yield deployed


@pytest.fixture(scope="module")
def mlops(stack, tmp_path_factory):
    return operator_cli(stack, STACK_NAME, tmp_path_factory.mktemp("outputs"))


def test_upload_with_wait_follows_the_run_it_starts_to_the_registered_version(stack, mlops):
    result = mlops("upload", "penguins", str(PENGUINS), "--wait", "--json")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    bucket = stack.data_bucket
    assert (facts["bucket"], facts["key"]) == (bucket, "datasets/penguins/penguins.csv")
    # The version is S3's, and the run is the one StartPipeline names after it.
    head = stack.s3.head_object(Bucket=bucket, Key=facts["key"])
    assert facts["version_id"] == head["VersionId"]
    assert facts["run"] == upload_execution_name("penguins", bucket, facts["key"], facts["version_id"])
    assert facts["execution_arn"] == execution_arn(stack.outputs["TrainingPipelineArn"], facts["run"])
    assert facts["status"] == "SUCCEEDED" and facts["error"] is None
    [package] = stack.model_packages(f"{STACK_NAME}-penguins")
    assert facts["model_package"] == package["ModelPackageArn"]
    assert stack.s3.get_object(Bucket=bucket, Key=facts["key"])["Body"].read() == PENGUINS.read_bytes()


def test_upload_without_wait_names_the_run_and_how_to_follow_it(stack, mlops, tmp_path):
    data = tmp_path / "more.csv"
    data.write_bytes(PENGUINS.read_bytes())
    result = mlops("upload", "penguins", str(data), "--key", "again.csv")
    assert result.exit_code == 0, result.output
    key = "datasets/penguins/again.csv"
    version = stack.s3.head_object(Bucket=stack.data_bucket, Key=key)["VersionId"]
    run = upload_execution_name("penguins", stack.data_bucket, key, version)
    assert result.stdout.splitlines() == [f"Uploaded {data} to s3://{stack.data_bucket}/{key} (version {version}).",
                                          f"It starts run {run}; `mlops runs show {run}` follows it."]
    arn = execution_arn(stack.outputs["TrainingPipelineArn"], run)
    deadline = time.monotonic() + 30
    while arn not in {e["executionArn"] for e in stack.executions()}:
        assert time.monotonic() < deadline, f"the upload started no run {run}"
        time.sleep(0.5)
    assert wait_for_execution(stack.sfn, arn, timeout=300).succeeded


def test_approve_and_reject_print_json_for_scripts(stack, mlops):
    versions = [p["ModelPackageArn"] for p in stack.model_packages(f"{STACK_NAME}-penguins")]
    assert len(versions) == 2  # approval: manual, both pending
    approved = mlops("approve", "penguins", "--version", "1", "--reason", "looks right", "--json")
    assert approved.exit_code == 0, approved.output
    assert json.loads(approved.stdout) == {
        "model": "penguins", "version": 1, "model_package_arn": versions[0], "previous_status": "PendingManualApproval",
        "status": "Approved", "changed": True, "description": "looks right", "gate_decision": "Passed"}
    again = json.loads(mlops("approve", "penguins", "--version", "1", "--json").stdout)
    assert again["changed"] is False and again["previous_status"] == "Approved" and again["description"] is None
    rejected = json.loads(mlops("reject", "penguins", "--json").stdout)  # the newest pending one
    assert (rejected["version"], rejected["status"], rejected["changed"]) == (2, "Rejected", True)
    described = stack.sagemaker.describe_model_package(ModelPackageName=versions[1])
    assert described["ModelApprovalStatus"] == "Rejected"


def test_retrain_prints_json_and_the_same_episode_starts_nothing_new(stack, mlops):
    result = mlops("retrain", "penguins", "--episode", "json-test", "--json")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert facts["started"] is True and facts["episode"] == "json-test" and facts["status"] in ("RUNNING", "SUCCEEDED")
    assert facts["data"]["key"] == "datasets/penguins/again.csv"  # the latest accepted version
    again = json.loads(mlops("retrain", "penguins", "--episode", "json-test", "--json").stdout)
    assert again["started"] is False and again["execution_arn"] == facts["execution_arn"]
    assert wait_for_execution(stack.sfn, facts["execution_arn"], timeout=300).status in ("SUCCEEDED", "FAILED")


def test_a_file_the_pipeline_refuses_is_warned_about_and_the_failed_run_exits_1(mlops, tmp_path):
    data = tmp_path / "penguins.txt"
    data.write_bytes(PENGUINS.read_bytes())
    result = mlops("upload", "penguins", str(data), "--wait")
    assert "warning: penguins.txt does not end in .csv: the pipeline will refuse it (UnsupportedFile)" in result.stderr
    assert result.exit_code == 1
    assert "Run FAILED: UnsupportedFile:" in result.stdout


def test_a_missing_file_is_named(mlops, tmp_path):
    result = mlops("upload", "penguins", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'nope.csv'} is not a file: give the path of the CSV to upload" in result.output


def test_an_unknown_model_is_named_with_the_configured_ones(mlops):
    result = mlops("upload", "otters", str(PENGUINS))
    assert result.exit_code == 1
    assert f"model 'otters' is not configured in stack {STACK_NAME}" in result.output
    assert "configured: penguins" in result.output
