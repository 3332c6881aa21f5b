"""The tuning branch of the training state machine, read back from the rendered definition."""

from __future__ import annotations

import pytest

from tests.infra.helpers import as_list, definition, policy_statements, render

TUNING_PATH = ["TrainingMode", "TuningEnabled", "CreateTuningJob", "WaitForTuning", "DescribeTuningJob",
               "TuningStatus", "TuningHasBestJob", "ListTuningTrials", "DescribeBestTrainingJob"]


@pytest.fixture(scope="module")
def states(synthesized) -> dict:
    return definition(synthesized)["States"]


def _sdk(states, name: str) -> str:
    resource = states[name]["Resource"]
    assert ".sync" not in resource
    return resource.rsplit(":states:::aws-sdk:sagemaker:", 1)[1]


def test_prepared_data_goes_to_a_choice_between_one_job_and_tuning(states):
    leading = [n for n, st in states.items() if st.get("Next") == "TrainingMode" or st.get("Default") == "TrainingMode"]
    assert leading  # reached after the data steps, whatever they are
    assert states["TrainingMode"]["Choices"] == [
        {"Variable": "$.settings.tuning.enabled", "IsPresent": True, "Next": "TuningEnabled"}]
    assert states["TrainingMode"]["Default"] == "CreateTrainingJob"  # settings without tuning: one job
    assert states["TuningEnabled"]["Choices"] == [
        {"Variable": "$.settings.tuning.enabled", "BooleanEquals": True, "Next": "CreateTuningJob"}]
    assert states["TuningEnabled"]["Default"] == "CreateTrainingJob"


def test_the_tuning_job_is_created_from_the_settings_and_polled_without_sync(states):
    assert set(TUNING_PATH) <= set(states)
    assert _sdk(states, "CreateTuningJob") == "createHyperParameterTuningJob"
    assert _sdk(states, "DescribeTuningJob") == "describeHyperParameterTuningJob"
    request = states["CreateTuningJob"]["Parameters"]
    assert request["HyperParameterTuningJobName.$"] == "$.jobs.tuning"
    assert request["HyperParameterTuningJobConfig.$"] == "$.settings.tuning.config"
    assert states["CreateTuningJob"]["Next"] == "WaitForTuning"
    assert states["WaitForTuning"] == {"Type": "Wait", "SecondsPath": "$.poll_seconds", "Next": "DescribeTuningJob"}
    assert states["DescribeTuningJob"]["Parameters"] == {"HyperParameterTuningJobName.$": "$.jobs.tuning"}
    assert states["TuningStatus"]["Default"] == "WaitForTuning"


def test_trials_are_defined_exactly_like_the_single_training_job(states):
    trial = dict(states["CreateTuningJob"]["Parameters"]["TrainingJobDefinition"])
    single = dict(states["CreateTrainingJob"]["Parameters"])
    assert trial.pop("StaticHyperParameters.$") == single.pop("HyperParameters.$") == "$.settings.hyperparameters"
    for key in ("TrainingJobName.$", "Tags", "ExperimentConfig"):  # not in HyperParameterTrainingJobDefinition
        single.pop(key, None)
    assert trial == single
    channel, code = trial["InputDataConfig"]  # the data and the job code: tuning never sees the test split
    assert channel["ChannelName"] == "train" and channel["DataSource"]["S3DataSource"]["S3Uri.$"] == "$.paths.train"
    assert code["ChannelName"] == "code"
    assert states["CreateTuningJob"]["Parameters"]["Tags"] == states["CreateTrainingJob"]["Parameters"]["Tags"]


def test_a_completed_tuning_job_hands_its_best_trial_on_as_the_training_job(states):
    status = states["TuningStatus"]["Choices"][0]
    assert status == {"Variable": "$.tuning.HyperParameterTuningJobStatus", "StringEquals": "Completed",
                      "Next": "TuningHasBestJob"}
    has_best = states["TuningHasBestJob"]
    assert has_best["Choices"][0]["Variable"] == "$.tuning.BestTrainingJob.TrainingJobName"
    assert has_best["Choices"][0]["Next"] == "ListTuningTrials"
    assert states["ListTuningTrials"]["ResultPath"] == "$.tuning_trials"
    assert states["ListTuningTrials"]["Next"] == "DescribeBestTrainingJob"
    best = states["DescribeBestTrainingJob"]
    assert _sdk(states, "DescribeBestTrainingJob") == "describeTrainingJob"
    assert best["Parameters"] == {"TrainingJobName.$": "$.tuning.BestTrainingJob.TrainingJobName"}
    assert best["ResultPath"] == "$.training"  # the shape the single-job path leaves
    assert best["Next"] == states["TrainingStatus"]["Choices"][0]["Next"]  # both go on to evaluation


def test_tuning_failures_end_in_training_failed_with_a_cause(states):
    assert states["TuningFailureReason"]["Parameters"]["Cause.$"] == "$.tuning.FailureReason"
    assert states["TuningFailureReason"]["Next"] == "TrainingFailed"
    assert states["TuningFailureStatus"]["Parameters"]["Cause.$"].startswith("States.Format(")
    no_best = states[states["TuningHasBestJob"]["Default"]]
    assert "objective metric" in no_best["Parameters"]["Cause.$"] and no_best["Next"] == "TrainingFailed"
    for name in ("CreateTuningJob", "DescribeTuningJob", "ListTuningTrials", "DescribeBestTrainingJob"):
        assert states[name]["Catch"] == [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure",
                                          "Next": "TrainingFailed"}]


def test_the_state_machine_may_run_tuning_jobs_of_its_models_only(synthesized):
    statements = policy_statements(synthesized, "TrainingPipelineStateMachineRole")
    granted: dict[str, set[str]] = {}
    for statement in statements:
        for action in as_list(statement["Action"]):
            granted.setdefault(action.lower(), set()).update(
                render(r) for r in as_list(statement["Resource"]) if isinstance(r, str) or "Fn::Join" in r)
    tuning = granted["sagemaker:createhyperparametertuningjob"]
    assert {r.rsplit(":", 1)[1] for r in tuning} == {"hyper-parameter-tuning-job/penguins-*",
                                                      "hyper-parameter-tuning-job/house-prices-*"}
    assert tuning <= granted["sagemaker:addtags"]
    assert granted["sagemaker:listtrainingjobsforhyperparametertuningjob"] == tuning
    assert {r.rsplit(":", 1)[1] for r in granted["sagemaker:describetrainingjob"]} >= {
        "training-job/penguins-*", "training-job/house-prices-*"}
