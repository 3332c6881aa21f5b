"""The tuning API of the embedded cloud through boto3: a tuning job runs real trials (the
project's train.py on penguins) and reports them as SageMaker does."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.server import EmbeddedCloud
from tests.localcloud.tuning_support import tuning_request, upload_inputs, wait_for_tuning

NAME = "api-tune"
REGRESSION = {"estimator": "linear", "target": "body_mass_g", "problem_type": "regression"}


@pytest.fixture(scope="module")
def cloud():
    with EmbeddedCloud(region="us-east-1") as cloud:
        cloud.inputs = upload_inputs(cloud.client("s3"))
        yield cloud


@pytest.fixture(scope="module")
def sagemaker(cloud):
    return cloud.client("sagemaker")


@pytest.fixture(scope="module")
def tuned(cloud, sagemaker) -> dict:
    request = tuning_request(NAME, cloud.inputs, tuning={"strategy": "Random", "max_jobs": 3, "max_parallel_jobs": 2},
                             **REGRESSION)
    sagemaker.create_hyper_parameter_tuning_job(**request)
    return wait_for_tuning(sagemaker, NAME)


def _trials(sagemaker, **kwargs) -> list[dict]:
    return sagemaker.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=NAME, **kwargs)["TrainingJobSummaries"]


def test_the_tuning_job_completes_with_counters_of_its_real_trials(tuned):
    assert tuned["HyperParameterTuningJobStatus"] == "Completed"
    assert tuned["TrainingJobStatusCounters"]["Completed"] == 3
    assert tuned["ObjectiveStatusCounters"] == {"Succeeded": 3, "Pending": 0, "Failed": 0}
    assert "HyperParameterTuningEndTime" in tuned and "FailureReason" not in tuned


def test_the_best_training_job_has_the_lowest_rmse_its_trial_printed(tuned, sagemaker):
    printed = {}
    for trial in _trials(sagemaker):
        job = sagemaker.describe_training_job(TrainingJobName=trial["TrainingJobName"])
        printed[trial["TrainingJobName"]] = next(
            m["Value"] for m in job["FinalMetricDataList"] if m["MetricName"] == "validation:rmse")
        assert job["TuningJobArn"] == tuned["HyperParameterTuningJobArn"]
        assert float(job["HyperParameters"]["alpha"]) == float(trial["TunedHyperParameters"]["alpha"])
    assert tuned["BestTrainingJob"]["TrainingJobName"] == min(printed, key=printed.get)


def test_trials_ran_in_parallel(tuned, sagemaker):
    spans = sorted((t["TrainingStartTime"], t["TrainingEndTime"]) for t in _trials(sagemaker))
    assert spans[1][0] < spans[0][1]  # the second started before the first ended


def test_listing_sorts_by_objective_filters_by_status_and_pages(tuned, sagemaker):
    by_value = _trials(sagemaker, SortBy="FinalObjectiveMetricValue", SortOrder="Ascending")
    assert by_value[0]["TrainingJobName"] == tuned["BestTrainingJob"]["TrainingJobName"]
    assert [t["ObjectiveStatus"] for t in by_value] == ["Succeeded"] * 3
    assert _trials(sagemaker, StatusEquals="Failed") == []
    first = sagemaker.list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName=NAME,
                                                                        MaxResults=2)
    rest = sagemaker.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=NAME, MaxResults=2, NextToken=first["NextToken"])
    names = [t["TrainingJobName"] for t in first["TrainingJobSummaries"] + rest["TrainingJobSummaries"]]
    assert names == sorted(names) and len(names) == 3 and "NextToken" not in rest


def test_listing_an_unknown_tuning_job_is_an_error(sagemaker):
    with pytest.raises(ClientError) as caught:
        sagemaker.list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName="nope")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFound"


def test_a_request_the_embedded_cloud_cannot_run_is_refused_and_not_stored(cloud, sagemaker):
    request = tuning_request("hb-tune", cloud.inputs, tuning={"strategy": "Hyperband", "max_jobs": 2})
    with pytest.raises(ClientError) as caught:
        sagemaker.create_hyper_parameter_tuning_job(**request)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "Hyperband is not supported by the embedded cloud" in caught.value.response["Error"]["Message"]
    with pytest.raises(ClientError):
        sagemaker.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="hb-tune")
