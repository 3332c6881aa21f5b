"""Objects above `validation.processing_above_bytes` (1000 bytes for `penguins-big` in
contracts.json) are profiled by a SageMaker Processing job running validate.py, run here by the
embedded cloud's local processing runner, and judged by the same Lambda: the same checks,
the same reports, the same failure cause."""

from __future__ import annotations

import json

import pytest

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
def first(stack, penguins_csv):
    ((_, summary),) = run_all(stack, {"first": (f"datasets/{MODEL}/first.csv", penguins_csv)}).values()
    assert summary.error != "DataValidationFailed", summary.cause
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
