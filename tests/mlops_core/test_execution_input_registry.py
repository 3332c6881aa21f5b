"""What the gate, the registry, lineage and retraining read from the execution input, and the
names of retraining runs."""

from __future__ import annotations

import re

from mlops_core.execution_input import RunIdentity, build_execution_input
from mlops_core.naming import (
    EXECUTION_NAME_MAX,
    experiment_trial_name,
    retraining_execution_name,
    retraining_hash,
    run_job_name,
)
from mlops_core.uploads import UploadedObject

UPLOAD = UploadedObject(bucket="data", key="datasets/penguins/p.csv", version_id="v1", etag="e", size=5)
SETTINGS = {"model_package_group": "MlopsStack-penguins"}
EXPERIMENTS_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}$")


def _input(**kwargs):
    return build_execution_input(upload=UPLOAD, model="penguins", settings=SETTINGS, artifacts_bucket="art",
                                 poll_seconds=3, **kwargs)


def test_gate_report_and_accepted_data_have_a_uri_and_a_bucket_key():
    execution_input = _input()
    run_id = execution_input["run_id"]
    assert execution_input["paths"]["gate_report"] == f"s3://art/models/penguins/runs/{run_id}/evaluation/gate.json"
    assert execution_input["paths"]["accepted_data"] == "s3://art/models/penguins/data/latest.json"
    assert execution_input["objects"] == {
        "gate_report": {"Bucket": "art", "Key": f"models/penguins/runs/{run_id}/evaluation/gate.json"},
        "accepted_data": {"Bucket": "art", "Key": "models/penguins/data/latest.json"},
        "preparation_result": {"Bucket": "art", "Key": f"models/penguins/runs/{run_id}/preparation/result.json"},
    }


def test_the_preparation_jobs_result_sits_in_its_output_under_the_run():
    execution_input = _input()
    run_root = f"s3://art/models/penguins/runs/{execution_input['run_id']}"
    assert execution_input["paths"]["preparation_output"] == f"{run_root}/preparation/"
    assert execution_input["paths"]["preparation_result"] == f"{run_root}/preparation/result.json"
    result = execution_input["objects"]["preparation_result"]
    assert f"s3://{result['Bucket']}/{result['Key']}" == execution_input["paths"]["preparation_result"]


def test_one_experiment_per_model_and_one_trial_per_run():
    lineage = _input()["lineage"]
    assert lineage["experiment"] == "MlopsStack-penguins"
    assert lineage["trial"] == f"MlopsStack-penguins-{_input()['run_id']}"
    assert EXPERIMENTS_NAME.match(lineage["trial"])


def test_a_retraining_run_names_its_jobs_after_itself():
    run = RunIdentity(retraining_execution_name("penguins", "e1"), retraining_hash("penguins", "e1"))
    execution_input = _input(run=run)
    assert execution_input["run_id"] == run.run_id
    assert execution_input["jobs"]["evaluation"] == run_job_name("penguins", run.digest, "eval")
    assert execution_input["jobs"]["evaluation"] != _input()["jobs"]["evaluation"]
    assert execution_input["paths"]["test"] == _input()["paths"]["test"]  # same data version, same splits


def test_retraining_names_are_deterministic_per_model_and_episode():
    name = retraining_execution_name("penguins", "alarm/2026-11-27T10:00:00Z")
    assert name == retraining_execution_name("penguins", "alarm/2026-11-27T10:00:00Z")
    assert re.fullmatch(r"rt-penguins-[0-9a-f]{16}", name)
    assert name != retraining_execution_name("penguins", "another episode")
    assert name.removeprefix("rt-penguins-") != retraining_execution_name("otters", "alarm/2026-11-27T10:00:00Z")[-16:]
    assert len(retraining_execution_name("m" * 200, "e")) <= EXECUTION_NAME_MAX


def test_trial_names_fit_experiments_rules_however_long_the_parts():
    trial = experiment_trial_name("G" * 63, "rt-" + "m" * 40 + "-0123456789abcdef")
    assert len(trial) <= 120 and EXPERIMENTS_NAME.match(trial)
    assert trial.endswith("-0123456789abcdef")  # the unique part is never cut
