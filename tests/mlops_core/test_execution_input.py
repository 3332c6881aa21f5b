"""The execution input is fully decided from the upload, settings, bucket and poll seconds."""

from __future__ import annotations

from mlops_core.execution_input import build_execution_input, build_rejection_input
from mlops_core.naming import job_name, tuning_job_name, upload_execution_name
from mlops_core.uploads import UploadedObject

UPLOAD = UploadedObject(bucket="data", key="datasets/penguins/p.csv", version_id="v.1_x", etag="e", size=5)


def _input():
    return build_execution_input(
        upload=UPLOAD, model="penguins", settings={"target": "species"}, artifacts_bucket="art", poll_seconds=3
    )


def test_run_id_is_the_upload_execution_name():
    assert _input()["run_id"] == upload_execution_name("penguins", "data", "datasets/penguins/p.csv", "v.1_x")


def test_splits_are_stored_per_data_version():
    paths = _input()["paths"]
    assert paths["train"] == "s3://art/models/penguins/data/v.1_x/train/"
    assert paths["test"] == "s3://art/models/penguins/data/v.1_x/test/"


def test_outputs_are_stored_per_run():
    execution_input = _input()
    run_root = f"s3://art/models/penguins/runs/{execution_input['run_id']}"
    assert execution_input["paths"]["training_output"] == f"{run_root}/training/"
    assert execution_input["paths"]["evaluation_output"] == f"{run_root}/evaluation/"
    assert execution_input["paths"]["evaluation_report"] == f"{run_root}/evaluation/evaluation.json"


def test_jobs_are_named_from_the_upload():
    assert _input()["jobs"] == {
        "training": job_name("penguins", "data", "datasets/penguins/p.csv", "v.1_x", "train"),
        "evaluation": job_name("penguins", "data", "datasets/penguins/p.csv", "v.1_x", "eval"),
        "validation": job_name("penguins", "data", "datasets/penguins/p.csv", "v.1_x", "validate"),
        "preparation": job_name("penguins", "data", "datasets/penguins/p.csv", "v.1_x", "prepare"),
        "tuning": tuning_job_name("penguins", "data", "datasets/penguins/p.csv", "v.1_x"),
    }


def test_data_poll_seconds_and_settings_are_carried():
    execution_input = _input()
    assert execution_input["data"] == {
        "bucket": "data", "key": "datasets/penguins/p.csv", "version_id": "v.1_x", "etag": "e", "size": 5
    }
    assert (execution_input["poll_seconds"], execution_input["settings"]) == (3, {"target": "species"})


def test_rejection_input_has_only_the_contract_fields():
    rejection = build_rejection_input(upload=UPLOAD, model="penguins", error="UnsupportedFile", cause="why")
    assert set(rejection) == {"model", "run_id", "data", "rejection"}
    assert rejection["rejection"] == {"error": "UnsupportedFile", "cause": "why"}


def test_data_quality_files_sit_next_to_the_data_version():
    paths = _input()["paths"]
    quality = "s3://art/models/penguins/data/v.1_x/quality/"
    assert paths["data_quality"] == quality
    assert {name: paths[name] for name in ("data_statistics", "data_constraints", "data_violations", "data_summary")} == {
        "data_statistics": quality + "statistics.json",
        "data_constraints": quality + "constraints.json",
        "data_violations": quality + "constraint_violations.json",
        "data_summary": quality + "summary.md",
    }


def test_contracts_live_per_model_established_in_artifacts_or_supplied_in_the_data_bucket():
    paths = _input()["paths"]
    assert paths["data_contract"] == "s3://art/models/penguins/contract/"
    assert paths["user_contract"] == "s3://data/contracts/penguins/"
