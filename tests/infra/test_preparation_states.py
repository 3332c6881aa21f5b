"""The preparation stage of the training state machine: the validation stage's size Choice
between the PrepareData Lambda and a Processing job running prepare.py, both leaving
`$.prepare` in the Lambda's shape, every failure ending in PreparationFailed."""

from __future__ import annotations

import pytest

from mlops_core.processing_request import entrypoint
from tests.infra.helpers import as_list, definition, policy_statements

JOB_STATES = ("CreatePreparationJob", "DescribePreparationJob", "ReadPreparationResult")


@pytest.fixture(scope="module")
def states(synthesized) -> dict:
    return definition(synthesized)["States"]


def test_valid_data_goes_to_the_size_choice_which_is_the_validation_one(states):
    assert states["DataValid"]["Default"] == "PreparationRoute"
    route = states["PreparationRoute"]
    assert route["Default"] == "PrepareData"
    (large,) = route["Choices"]
    assert large["Next"] == "CreatePreparationJob"
    (validation_large,) = states["ValidationRoute"]["Choices"]
    assert {k: v for k, v in large.items() if k != "Next"} == {k: v for k, v in validation_large.items()
                                                               if k != "Next"}


def test_the_job_splits_the_uploaded_key_into_the_runs_train_and_test_prefixes(states):
    request = states["CreatePreparationJob"]["Parameters"]
    assert request["ProcessingJobName.$"] == "$.jobs.preparation"
    assert request["AppSpecification"]["ContainerEntrypoint"] == entrypoint("prepare.py")
    inputs = {i["InputName"]: i["S3Input"] for i in request["ProcessingInputs"]}
    assert inputs["data"]["S3Uri.$"] == "States.Format('s3://{}/{}', $.data.bucket, $.data.key)"
    assert inputs["data"]["LocalPath"] == "/opt/ml/processing/data"
    assert set(inputs) == {"code", "data"}
    outputs = {o["OutputName"]: o["S3Output"] for o in request["ProcessingOutputConfig"]["Outputs"]}
    assert {name: (o["S3Uri.$"], o["LocalPath"]) for name, o in outputs.items()} == {
        "train": ("$.paths.train", "/opt/ml/processing/train"),
        "test": ("$.paths.test", "/opt/ml/processing/test"),
        "result": ("$.paths.preparation_output", "/opt/ml/processing/result"),
    }
    assert "KmsKeyId" in request["ProcessingOutputConfig"]


def test_the_job_gets_the_split_settings_and_the_validated_size_as_arguments(states):
    arguments = states["CreatePreparationJob"]["Parameters"]["AppSpecification"]["ContainerArguments.$"]
    for argument in ("States.Format('--target={}', $.settings.target)",
                     "States.Format('--problem-type={}', $.settings.problem_type)",
                     "States.Format('--test-size={}', $.settings.test_size)",
                     "States.Format('--random-seed={}', $.settings.random_seed)",
                     "States.Format('--expected-bytes={}', $.data.size)",
                     "'/opt/ml/processing/result/result.json'", "'--message-file'"):
        assert argument in arguments


def test_the_job_is_polled_and_its_exit_message_is_the_cause_of_a_failure(states):
    assert states["CreatePreparationJob"]["Next"] == "WaitForPreparationJob"
    assert states["WaitForPreparationJob"]["Next"] == "DescribePreparationJob"
    choice = states["PreparationJobStatus"]
    assert choice["Default"] == "WaitForPreparationJob"
    completed, message, *_ = choice["Choices"]
    assert completed == {"Variable": "$.preparation_job.ProcessingJobStatus", "StringEquals": "Completed",
                         "Next": "ReadPreparationResult"}
    assert message["Next"] == "PreparationJobExitMessage"
    assert {"Variable": "$.preparation_job.ExitMessage", "IsPresent": True} in message["And"]
    cause = states["PreparationJobExitMessage"]
    assert cause["Parameters"] == {"Error": "PreparationFailed", "Cause.$": "$.preparation_job.ExitMessage"}
    assert cause["Next"] == "PreparationFailed"
    for name in JOB_STATES:
        assert states[name]["Catch"][0]["Next"] == "PreparationFailed"


def test_the_result_becomes_the_lambdas_return_value_then_the_run_goes_on(states):
    read = states["ReadPreparationResult"]
    assert read["Resource"].endswith(":states:::aws-sdk:s3:getObject")
    assert read["Parameters"] == {"Bucket.$": "$.objects.preparation_result.Bucket",
                                  "Key.$": "$.objects.preparation_result.Key"}
    assert read["ResultSelector"] == {"counts.$": "States.StringToJson($.Body)"}
    assert read["Next"] == "PreparedSplits"
    shaped = states["PreparedSplits"]
    assert shaped["ResultPath"] == states["PrepareData"]["ResultPath"] == "$.prepare"
    assert shaped["Parameters"] == {
        "train": {"uri.$": "States.Format('{}train.csv', $.paths.train)",
                  "rows.$": "$.preparation_result.counts.train.rows"},
        "test": {"uri.$": "States.Format('{}test.csv', $.paths.test)",
                 "rows.$": "$.preparation_result.counts.test.rows"},
    }
    assert shaped["Next"] == states["PrepareData"]["Next"] == "AcceptedDataRecord"


def test_the_pipeline_may_run_the_job_and_read_only_its_result(synthesized):
    statements = policy_statements(synthesized, "TrainingPipelineStateMachineRole")
    # CallAwsService writes the SDK's spelling (createProcessingJob); IAM ignores the case.
    creates = [s for s in statements
               if "sagemaker:createprocessingjob" in [a.lower() for a in as_list(s["Action"])]]
    resources = [str(r) for s in creates for r in as_list(s["Resource"])]
    assert resources and all(":processing-job/" in r for r in resources)
    assert any("processing-job/penguins-*" in r for r in resources)
    reads = [s for s in statements if "s3:GetObject" in as_list(s["Action"])]
    read_resources = " ".join(str(r) for s in reads for r in as_list(s["Resource"]))
    for model in ("penguins", "house-prices"):
        assert f"/models/{model}/runs/*/preparation/result.json" in read_resources
    assert "/models/*" not in read_resources  # no wider read than the results and the gate reports
