"""Manual approval: the version waits as PendingManualApproval; `mlops approve` approves it
and SageMaker's `SageMaker Model Package State Change` reaches a rule on the default bus (the
deployment work listens for it)."""

from __future__ import annotations

import json
import time

import pytest

from tests.e2e_registry.conftest import package_of

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def approvals_queue(stack):
    """An SQS queue behind a rule for approvals of the manual model's group, as a deployment
    pipeline would subscribe."""
    sqs, events = stack.cloud.client("sqs"), stack.cloud.client("events")
    url = sqs.create_queue(QueueName="approvals")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="approved-models", EventPattern=json.dumps({
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Model Package State Change"],
        "detail": {"ModelPackageGroupName": ["MlopsRegistryE2E-penguins-manual"], "ModelApprovalStatus": ["Approved"]},
    }))
    events.put_targets(Rule="approved-models", Targets=[{"Id": "queue", "Arn": arn}])
    return url


def _messages(stack, url: str, timeout: float = 15.0) -> list[dict]:
    sqs, deadline, found = stack.cloud.client("sqs"), time.time() + timeout, []
    while not found and time.time() < deadline:
        stack.cloud.bus.wait_idle()
        found = [json.loads(m["Body"]) for m in sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])]
    return found


def test_a_manual_model_waits_for_approval(stack, manual_run):
    _, summary = manual_run
    assert package_of(stack, summary)["ModelApprovalStatus"] == "PendingManualApproval"


def test_registration_alone_sends_no_approval_event(stack, manual_run, approvals_queue):
    assert _messages(stack, approvals_queue, timeout=2) == []


def test_mlops_approve_approves_and_the_state_change_event_reaches_the_rule(stack, manual_run, approvals_queue, mlops):
    _, summary = manual_run
    arn = summary.output["registration"]["ModelPackageArn"]
    result = mlops("approve", "penguins-manual", "--reason", "reviewed the evaluation report")
    assert result.exit_code == 0, result.output
    assert "PendingManualApproval -> Approved" in result.output
    [event] = _messages(stack, approvals_queue)
    assert (event["source"], event["detail-type"], event["resources"]) == (
        "aws.sagemaker", "SageMaker Model Package State Change", [arn])
    assert event["detail"]["ModelApprovalStatus"] == "Approved"
    assert event["detail"]["ApprovalDescription"] == "reviewed the evaluation report"
    package = package_of(stack, summary)
    assert package["ModelApprovalStatus"] == "Approved"
    assert package["CustomerMetadataProperties"]["DataVersionId"] == manual_run[0]  # lineage survives approval


def test_approving_again_changes_nothing_and_says_so(manual_run, mlops):
    version = manual_run[1].output["registration"]["ModelPackageArn"].rsplit("/", 1)[-1]
    result = mlops("approve", "penguins-manual", "--version", version)
    assert result.exit_code == 0 and "already Approved" in result.output


def test_approve_without_a_pending_version_gives_advice(manual_run, mlops):
    result = mlops("approve", "penguins-manual")
    assert result.exit_code == 1
    assert "no version of 'penguins-manual' is waiting for approval" in result.output
    assert "Traceback" not in result.output


def test_reject_names_a_missing_version(manual_run, mlops):
    result = mlops("reject", "penguins-manual", "--version", "42")
    assert result.exit_code == 1 and "has no version 42" in result.output
