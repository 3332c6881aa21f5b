"""`mlops runs` and `mlops models` show the facts SageMaker Studio shows: runs with status,
data version and metrics; versions with approval, scores and data version."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e


def test_models_lists_every_version_with_status_scores_and_data_version(churn_runs, mlops):
    result = mlops("models", "churn", "--json")
    assert result.exit_code == 0, result.output
    versions = {v["version"]: v for v in json.loads(result.output)}
    assert [versions[n]["status"] for n in (1, 2, 3)] == ["Approved", "Approved", "Rejected"]
    assert versions[3]["metadata"]["DataVersionId"] == churn_runs["little"][0]
    assert versions[3]["metadata"]["CandidateScore"] < versions[3]["metadata"]["ChampionScore"]


def test_models_table_reads_as_a_table(churn_runs, mlops):
    lines = mlops("models", "churn").output.splitlines()
    assert lines[0].split()[:2] == ["VERSION", "STATUS"]
    assert any(line.split()[:2] == ["3", "Rejected"] for line in lines[1:])


def test_runs_lists_runs_with_status_data_version_and_metrics(churn_runs, mlops):
    result = mlops("runs", "churn", "--json")
    assert result.exit_code == 0, result.output
    runs = {r["run_id"]: r for r in json.loads(result.output)}
    for label, (version_id, summary) in churn_runs.items():
        run = runs[summary.input["run_id"]]
        assert (run["status"], run["data_version"], run["trigger"]) == (summary.status, version_id, "upload")
        assert "validation:accuracy" in run["training_metrics"]
        assert run["gate"]["passed"] is (label != "little")
    rejected = runs[churn_runs["little"][1].input["run_id"]]
    assert rejected["error"] == "ModelRejected" and rejected["model_package"] is None


def test_runs_of_an_unknown_model_name_the_configured_ones(mlops):
    result = mlops("runs", "otters")
    assert result.exit_code == 1
    assert "model 'otters' is not configured" in result.output and "penguins-manual" in result.output
