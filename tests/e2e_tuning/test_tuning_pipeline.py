"""Hyperparameter tuning end to end in the embedded cloud: an upload of a model whose config
enables tuning runs a real tuning job (real trials, a real optimizer), and the best trial's
model is the one evaluated and registered."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e

TUNED = "penguins-mass"  # regression: validation:rmse is minimised, so ties are unlikely
OBJECTIVE = "validation:rmse"


@pytest.fixture(scope="module")
def tuned_run(stack, penguins_csv):
    _, summary = stack.run(f"datasets/{TUNED}/penguins.csv", penguins_csv, timeout=400)
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    return summary


@pytest.fixture(scope="module")
def trials(stack, tuned_run) -> list[dict]:
    pages = stack.sagemaker.get_paginator("list_training_jobs_for_hyper_parameter_tuning_job").paginate(
        HyperParameterTuningJobName=tuned_run.input["jobs"]["tuning"], PaginationConfig={"PageSize": 3})
    return [summary for page in pages for summary in page["TrainingJobSummaries"]]


def _final_metric(job: dict, name: str) -> float:
    return next(m["Value"] for m in job["FinalMetricDataList"] if m["MetricName"] == name)


def test_the_tuning_job_ran_every_trial_as_a_real_training_job(stack, tuned_run, trials):
    tuning = stack.sagemaker.describe_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=tuned_run.input["jobs"]["tuning"])
    assert tuning["HyperParameterTuningJobStatus"] == "Completed"
    assert tuning["TrainingJobStatusCounters"]["Completed"] == 4
    assert tuning["ObjectiveStatusCounters"] == {"Succeeded": 4, "Pending": 0, "Failed": 0}
    assert len(trials) == 4
    listed = {s["TrainingJobName"] for s in stack.sagemaker.list_training_jobs(MaxResults=100)["TrainingJobSummaries"]}
    assert {t["TrainingJobName"] for t in trials} <= listed
    assert all(t["TrainingJobName"].startswith(tuning["HyperParameterTuningJobName"] + "-") for t in trials)


def test_the_best_trial_is_the_best_by_each_trials_own_metrics(stack, tuned_run, trials):
    own = {}
    for trial in trials:
        job = stack.sagemaker.describe_training_job(TrainingJobName=trial["TrainingJobName"])
        own[trial["TrainingJobName"]] = _final_metric(job, OBJECTIVE)
        assert trial["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] == pytest.approx(own[trial["TrainingJobName"]])
    best = tuned_run.output["tuning"]["BestTrainingJob"]
    assert best["TrainingJobName"] == min(own, key=own.get)
    assert best["FinalHyperParameterTuningJobObjectiveMetric"] == {
        "Type": "Minimize", "MetricName": OBJECTIVE, "Value": pytest.approx(min(own.values()))}


def test_the_pipeline_goes_on_with_the_best_trials_model(stack, tuned_run):
    best = tuned_run.output["tuning"]["BestTrainingJob"]["TrainingJobName"]
    training = tuned_run.output["training"]
    assert training["TrainingJobName"] == best
    artifact = stack.sagemaker.describe_training_job(TrainingJobName=best)["ModelArtifacts"]["S3ModelArtifacts"]
    assert training["ModelArtifacts"]["S3ModelArtifacts"] == artifact
    evaluation = stack.sagemaker.describe_processing_job(ProcessingJobName=tuned_run.input["jobs"]["evaluation"])
    assert {i["InputName"]: i["S3Input"]["S3Uri"] for i in evaluation["ProcessingInputs"]}["model"] == artifact
    package = stack.sagemaker.describe_model_package(
        ModelPackageName=tuned_run.output["registration"]["ModelPackageArn"])
    assert package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] == artifact


def test_trials_get_the_static_hyperparameters_and_tuned_values_in_range(stack, tuned_run, trials):
    config = tuned_run.input["settings"]["tuning"]["config"]
    ranges = {r["Name"]: r for kind in ("IntegerParameterRanges", "ContinuousParameterRanges")
              for r in config["ParameterRanges"][kind]}
    for trial in trials:
        job = stack.sagemaker.describe_training_job(TrainingJobName=trial["TrainingJobName"])
        assert job["HyperParameters"]["target"] == "body_mass_g"
        assert job["HyperParameters"]["_tuning_objective_metric"] == OBJECTIVE
        for name, value in trial["TunedHyperParameters"].items():
            assert job["HyperParameters"][name] == value  # passed on as strings
            if name in ranges:
                assert float(ranges[name]["MinValue"]) <= float(value) <= float(ranges[name]["MaxValue"])
        # Tuning never sees the test split: the train prefix, and the job code (network isolation).
        channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in job["InputDataConfig"]}
        assert channels.keys() == {"train", "code"} and channels["train"] == tuned_run.input["paths"]["train"]
        assert job["EnableNetworkIsolation"] is True


def test_the_run_output_records_the_trials(tuned_run, trials):
    recorded = tuned_run.output["tuning_trials"]["TrainingJobSummaries"]
    assert [t["TrainingJobName"] for t in recorded] == sorted(t["TrainingJobName"] for t in trials)


def test_a_tuning_job_whose_trials_all_fail_ends_in_training_failed(stack, penguins_csv):
    _, summary = stack.run("datasets/penguins-broken/penguins.csv", penguins_csv, timeout=300)
    assert (summary.status, summary.error) == ("FAILED", "TrainingFailed")
    assert "reported the objective metric validation:accuracy" in summary.cause
    assert "bogus_option" in summary.cause  # the first trial's own failure reason


def test_a_strategy_the_embedded_cloud_cannot_run_is_refused_with_the_reason(stack, penguins_csv):
    _, summary = stack.run("datasets/penguins-hyperband/penguins.csv", penguins_csv, timeout=120)
    assert (summary.status, summary.error) == ("FAILED", "TrainingFailed")
    assert "Hyperband is not supported by the embedded cloud" in summary.cause
    assert json.loads(json.dumps(summary.input["settings"]["tuning"]))["config"]["Strategy"] == "Hyperband"
