"""Objects above `validation.processing_above_bytes` (1000 bytes for `penguins-big` in
contracts.json) are profiled by a SageMaker Processing job running validate.py, run here by the
embedded cloud's local processing runner, and judged by the same Lambda: the same checks,
the same reports, the same failure cause. They are then split by a second Processing job
running prepare.py: the same train/test files as the PrepareData Lambda writes for the twin
model (same settings, Lambda path) from the same bytes, and the same `$.prepare`."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from mlops.runs import wait_for_execution
from mlops_core.naming import run_job_name
from tests.e2e_contracts.corpus import bad_inputs
from tests.e2e_contracts.runs import read_s3, run_all, training_jobs_of

pytestmark = pytest.mark.e2e
MODEL = "penguins-big"
TWIN = "penguins-twin"
CASES = ("ragged rows", "flood of unseen categories", "column identical to target")


def _entered(stack, summary) -> list[str]:
    events = stack.sfn.get_execution_history(executionArn=summary.execution_arn, maxResults=1000)["events"]
    return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]


@pytest.fixture(scope="module")
def firsts(stack, penguins_csv):
    """The same bytes through both paths at once: penguins-big (jobs) and penguins-twin (Lambdas)."""
    return run_all(stack, {model: (f"datasets/{model}/first.csv", penguins_csv) for model in (MODEL, TWIN)})


@pytest.fixture(scope="module")
def first(firsts):
    _, summary = firsts[MODEL]
    assert summary.error != "DataValidationFailed", summary.cause
    return summary


@pytest.fixture(scope="module")
def twin_first(firsts):
    _, summary = firsts[TWIN]
    assert summary.succeeded, (summary.error, summary.cause)
    return summary


@pytest.fixture(scope="module")
def rejected(stack, first, penguins_csv):
    """Each case through both paths: penguins-big (job) and penguins-twin (Lambda), the twin
    holding a copy of penguins-big's contract as its user contract."""
    for name in ("constraints.json", "statistics.json"):
        stack.s3.put_object(Bucket=stack.data_bucket, Key=f"contracts/{TWIN}/{name}",
                            Body=read_s3(stack, first.input["paths"]["data_contract"] + name))
    corpus = bad_inputs(penguins_csv, max_field_bytes=65536)
    uploads = {}
    for name in CASES:
        for model in (MODEL, TWIN):
            uploads[(name, model)] = (f"datasets/{model}/large-{name.replace(' ', '-')}.csv", corpus[name].body)
    return run_all(stack, uploads)


def test_a_large_object_is_validated_by_a_processing_job_then_judged(stack, first):
    entered = _entered(stack, first)
    assert "CreateValidationJob" in entered and "JudgeDataProfile" in entered and "ValidateData" not in entered
    job = stack.sagemaker.describe_processing_job(ProcessingJobName=first.input["jobs"]["validation"])
    assert job["ProcessingJobStatus"] == "Completed"
    profile = json.loads(read_s3(stack, first.input["paths"]["data_profile"]))
    assert (profile["rows"], profile["problems"]) == (344, [])
    contract = json.loads(read_s3(stack, first.input["paths"]["data_contract"] + "constraints.json"))
    assert "island" in {feature["name"] for feature in contract["features"]}


def test_a_large_object_is_split_by_a_processing_job_into_the_lambdas_files(stack, first, twin_first):
    entered, twin_entered = _entered(stack, first), _entered(stack, twin_first)
    assert "CreatePreparationJob" in entered and "PreparedSplits" in entered and "PrepareData" not in entered
    assert "PrepareData" in twin_entered and "CreatePreparationJob" not in twin_entered
    job = stack.sagemaker.describe_processing_job(ProcessingJobName=first.input["jobs"]["preparation"])
    assert job["ProcessingJobStatus"] == "Completed"
    prepared, twin_prepared = first.output["prepare"], twin_first.output["prepare"]
    for part in ("train", "test"):
        assert prepared[part]["uri"] == f"{first.input['paths'][part]}{part}.csv"
        assert prepared[part]["rows"] == twin_prepared[part]["rows"]
        assert read_s3(stack, prepared[part]["uri"]) == read_s3(stack, twin_prepared[part]["uri"])
    assert set(prepared) == set(twin_prepared) == {"train", "test"}
    result = json.loads(read_s3(stack, first.input["paths"]["preparation_result"]))
    assert result == {"train": {"rows": prepared["train"]["rows"]}, "test": {"rows": prepared["test"]["rows"]},
                      "dropped_rows": 0}


def test_training_on_the_jobs_split_succeeds(stack, first):
    assert first.succeeded, (first.error, first.cause)
    (training,) = training_jobs_of(stack, first)
    job = stack.sagemaker.describe_training_job(TrainingJobName=training["TrainingJobName"])
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in job["InputDataConfig"]}
    assert channels["train"] == first.input["paths"]["train"]
    assert first.output["registration"]["ModelPackageArn"]


def test_a_failed_preparation_job_ends_the_run_with_the_jobs_own_words(stack, first):
    """A negative seed (numpy refuses it; validation does not look at it) passes validation and
    fails the job: the cause is the job's ExitMessage, not SageMaker's summary of the failure."""
    run_input = copy.deepcopy(first.input)
    run_input["run_id"] = "prepare-fails-" + first.input["run_id"][-16:]
    digest = hashlib.sha256(run_input["run_id"].encode()).hexdigest()
    run_input["jobs"] = {kind: run_job_name(MODEL, digest, suffix)
                         for kind, suffix in (("validation", "validate"), ("preparation", "prepare"))}
    run_input["settings"]["random_seed"] = -1
    started = stack.sfn.start_execution(stateMachineArn=stack.outputs["TrainingPipelineArn"],
                                        name=run_input["run_id"], input=json.dumps(run_input))
    summary = wait_for_execution(stack.sfn, started["executionArn"], timeout=300)
    assert (summary.status, summary.error) == ("FAILED", "PreparationFailed"), summary.cause
    assert summary.cause.startswith("Preparation failed: "), summary.cause
    assert "PreparationJobExitMessage" in _entered(stack, summary)


def test_a_failed_validation_job_ends_the_run_with_the_jobs_own_words(stack, first):
    """A field limit the job cannot read (the config never writes one: an SSM document edited by
    hand) fails the validation job: the cause is validate.py's message, not SageMaker's summary."""
    run_input = copy.deepcopy(first.input)
    run_input["run_id"] = "validate-fails-" + first.input["run_id"][-16:]
    digest = hashlib.sha256(run_input["run_id"].encode()).hexdigest()
    run_input["jobs"] = {kind: run_job_name(MODEL, digest, suffix)
                         for kind, suffix in (("validation", "validate"), ("preparation", "prepare"))}
    run_input["settings"]["validation"]["max_field_bytes"] = "many"
    started = stack.sfn.start_execution(stateMachineArn=stack.outputs["TrainingPipelineArn"],
                                        name=run_input["run_id"], input=json.dumps(run_input))
    summary = wait_for_execution(stack.sfn, started["executionArn"], timeout=300)
    assert (summary.status, summary.error) == ("FAILED", "DataValidationFailed"), summary.cause
    assert summary.cause.startswith("Validation failed: Invalid arguments: argument --max-field-bytes"), summary.cause
    assert "ValidationJobExitMessage" in _entered(stack, summary)


@pytest.mark.parametrize("name", CASES)
def test_a_bad_large_object_fails_like_a_small_one(stack, rejected, name):
    _, large = rejected[(name, MODEL)]
    _, small = rejected[(name, TWIN)]
    assert (large.status, large.error) == ("FAILED", "DataValidationFailed"), large.cause
    assert "CreateValidationJob" in _entered(stack, large)
    assert training_jobs_of(stack, large) == []
    # The same findings, word for word, in the cause and in the violations file.
    assert _findings(large.cause) == _findings(small.cause)
    violations = [json.loads(read_s3(stack, run.input["paths"]["data_violations"])) for run in (large, small)]
    assert violations[0] == violations[1]


def test_a_small_object_of_the_same_model_still_goes_to_the_lambda(stack, first):
    ((_, summary),) = run_all(stack, {"tiny": (f"datasets/{MODEL}/tiny.csv", b"species,island\nAdelie,Dream\n")}).values()
    assert summary.error == "DataValidationFailed"
    assert "ValidateData" in _entered(stack, summary) and "CreateValidationJob" not in _entered(stack, summary)


def _findings(cause: str) -> str:
    # Drop the object and report locations, which differ between the two uploads.
    return cause.split(" problem", 1)[1].split(" Full report:", 1)[0]
