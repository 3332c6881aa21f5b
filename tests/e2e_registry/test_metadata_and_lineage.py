"""Every registered version carries its full lineage: data version, run, code, metrics, drift
baselines, the gate's decision; jobs carry ExperimentConfig so runs show in SageMaker Studio."""

from __future__ import annotations

import re

import pytest

from tests.e2e_registry.conftest import package_of, read_json

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def registered(churn_runs, manual_run):
    """(version id, run summary) of every run that registered a package."""
    return [churn_runs["plenty"], churn_runs["same"], manual_run]


def test_every_package_names_its_exact_data_version_run_and_code(stack, registered):
    for version_id, summary in registered:
        package = package_of(stack, summary)
        metadata = package["CustomerMetadataProperties"]
        assert metadata["DataBucket"] == stack.data_bucket
        assert metadata["DataKey"] == summary.input["data"]["key"]
        assert metadata["DataVersionId"] == version_id
        assert metadata["DataETag"] == summary.input["data"]["etag"] != ""
        assert metadata["ExecutionArn"] == summary.execution_arn
        assert metadata["RunId"] == summary.input["run_id"]
        assert re.fullmatch(r"[0-9a-f]{64}", metadata["CodeVersion"])
        assert metadata["TrainingJobName"] == summary.output["training"]["TrainingJobName"]
        assert metadata["EvaluationJobName"] == summary.input["jobs"]["evaluation"]
        assert (metadata["ExperimentName"], metadata["TrialName"]) == (
            summary.input["lineage"]["experiment"], summary.input["lineage"]["trial"])
        assert package["MetadataProperties"] == {
            "GeneratedBy": summary.execution_arn, "CommitId": metadata["CodeVersion"],
            "Repository": package["InferenceSpecification"]["Containers"][0]["Environment"]["SAGEMAKER_SUBMIT_DIRECTORY"]}


def test_every_package_carries_the_gate_decision(stack, registered):
    for _, summary in registered:
        metadata = package_of(stack, summary)["CustomerMetadataProperties"]
        gate = read_json(stack, summary.input["paths"]["gate_report"])
        assert {k: metadata[k] for k in gate["metadata"]} == gate["metadata"]
        assert metadata["GateDecision"] == "Passed" and metadata["GateMetric"] == "accuracy"


def test_every_package_points_at_its_evaluation_report_and_drift_baselines(stack, registered):
    for _, summary in registered:
        package = package_of(stack, summary)
        paths = summary.input["paths"]
        quality = package["ModelMetrics"]["ModelQuality"]["Statistics"]
        assert quality == {"ContentType": "application/json", "S3Uri": paths["evaluation_report"]}
        assert "accuracy" in str(read_json(stack, quality["S3Uri"]))
        baselines = package["DriftCheckBaselines"]["ModelDataQuality"]
        assert baselines["Statistics"]["S3Uri"] == paths["data_statistics"]
        assert baselines["Constraints"]["S3Uri"] == paths["data_constraints"]
        assert package["ModelMetrics"]["ModelDataQuality"] == baselines
        # The baseline files exist, in Model Monitor's format, for this data version.
        assert "features" in read_json(stack, baselines["Statistics"]["S3Uri"])
        assert "features" in read_json(stack, baselines["Constraints"]["S3Uri"])


def test_jobs_join_the_runs_trial_in_the_models_experiment(stack, churn_runs):
    _, summary = churn_runs["plenty"]
    lineage = summary.input["lineage"]
    training = stack.sagemaker.describe_training_job(TrainingJobName=summary.output["training"]["TrainingJobName"])
    assert training["ExperimentConfig"] == {"ExperimentName": lineage["experiment"], "TrialName": lineage["trial"],
                                            "TrialComponentDisplayName": "training"}
    evaluation = stack.sagemaker.describe_processing_job(ProcessingJobName=summary.input["jobs"]["evaluation"])
    assert evaluation["ExperimentConfig"]["TrialComponentDisplayName"] == "evaluation"
    assert stack.sagemaker.describe_experiment(ExperimentName=lineage["experiment"])["ExperimentName"] == "MlopsRegistryE2E-churn"
    assert stack.sagemaker.describe_trial(TrialName=lineage["trial"])["ExperimentName"] == lineage["experiment"]


def test_each_run_has_its_own_trial_and_the_model_one_experiment(stack, churn_runs):
    trials = {summary.input["lineage"]["trial"] for _, summary in churn_runs.values()}
    experiments = {summary.input["lineage"]["experiment"] for _, summary in churn_runs.values()}
    assert len(trials) == 3 and experiments == {"MlopsRegistryE2E-churn"}
