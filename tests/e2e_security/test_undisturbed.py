"""After all the abuse (this module runs last): the good upload that ran through it succeeded,
and the only jobs, packages and runs that did any work are the good ones."""

from __future__ import annotations

import pytest

from mlops.runs import wait_for_execution
from tests.e2e_security.support import WORK_STATES, entered_states

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def good(stack, good_run):
    return wait_for_execution(stack.sfn, good_run, timeout=300)


def test_the_good_upload_ran_through_it_all(good):
    assert good.status == "SUCCEEDED", (good.failed_state, good.error, good.cause)
    assert good.output["registration"]["ModelPackageArn"]


def test_only_runs_that_succeeded_did_any_work(stack, good):
    executions = stack.executions()
    assert len(executions) > 1  # the abuse in the other modules started its (failed) runs too
    for execution in executions:
        if execution["status"] != "SUCCEEDED":
            assert entered_states(stack, execution["executionArn"]) & WORK_STATES <= {"ValidateData"}, execution["name"]


def test_only_the_succeeded_runs_have_jobs_and_packages(stack, good):
    succeeded = [wait_for_execution(stack.sfn, e["executionArn"], timeout=60) for e in stack.executions()
                 if e["status"] == "SUCCEEDED"]
    # The good upload and, after test_object_keys, the unicode key's run.
    assert good.execution_arn in {run.execution_arn for run in succeeded}
    trainings = {j["TrainingJobName"] for j in stack.sagemaker.list_training_jobs(MaxResults=100)["TrainingJobSummaries"]}
    processings = {j["ProcessingJobName"]
                   for j in stack.sagemaker.list_processing_jobs(MaxResults=100)["ProcessingJobSummaries"]}
    assert trainings == {run.input["jobs"]["training"] for run in succeeded}
    assert processings == {run.input["jobs"]["evaluation"] for run in succeeded}
    packages = stack.model_packages(succeeded[0].input["settings"]["model_package_group"])
    assert {p["ModelPackageArn"] for p in packages} == {run.output["registration"]["ModelPackageArn"]
                                                        for run in succeeded}
