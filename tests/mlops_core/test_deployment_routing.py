"""What StartDeployment does with an approval event: start, or ignore saying why."""

from __future__ import annotations

import pytest

from mlops_core.approval_event import ApprovalEvent
from mlops_core.deployment_routing import model_of_group, plan_deployment
from tests.mlops_core.deployment_builders import ACCOUNT, APPROVED_AT, REGION, approval_event, penguins_settings


def _plan(event: dict, documents: dict | None = None):
    documents = {"penguins": penguins_settings()} if documents is None else documents
    looked_up = []

    def find(group):
        looked_up.append(group)
        return model_of_group(group, documents)

    plan = plan_deployment(ApprovalEvent.from_event(event), account=ACCOUNT, region=REGION, find_model=find,
                           poll_seconds=3)
    return plan, looked_up


def test_an_approved_package_of_a_configured_model_starts_its_deployment():
    plan, _ = _plan(approval_event())
    assert plan.action == "start" and plan.model == "penguins"
    assert plan.execution_name == plan.execution_input["deployment_id"]
    assert "version 3 of 'penguins' to endpoint MlopsStack-penguins" in plan.reason


def test_the_group_matches_whatever_the_case_sagemaker_shows():
    plan, _ = _plan(approval_event(group="mlopsstack-penguins"))
    assert plan.action == "start"


@pytest.mark.parametrize(("event", "reason", "reads_settings"), [
    (approval_event(account="999999999999"), "the event is from account 999999999999 in us-east-1; this stack "
                                             "deploys only packages of account 123456789012 in us-east-1", False),
    (approval_event(region="eu-west-1"), "from account 123456789012 in eu-west-1", False),
    (approval_event(status="Rejected"), "is Rejected, not Approved: nothing to deploy", False),
    (approval_event(status="PendingManualApproval"), "is PendingManualApproval, not Approved", False),
    (approval_event(group="MlopsStack-other"), "package group MlopsStack-other belongs to no model configured", True),
])
def test_other_events_are_ignored_saying_why(event, reason, reads_settings):
    plan, looked_up = _plan(event)
    assert plan.action == "ignore" and plan.execution_input is None
    assert reason in plan.reason
    # Settings are only read for an event that could start something.
    assert looked_up == ([event["detail"]["ModelPackageGroupName"]] if reads_settings else [])


def test_a_model_with_serving_disabled_is_not_deployed():
    plan, _ = _plan(approval_event(), {"penguins": penguins_settings(enabled=False)})
    assert plan.action == "ignore" and "serving is disabled for model 'penguins'" in plan.reason


def test_the_approval_time_is_the_last_modified_time_else_the_creation_time():
    assert ApprovalEvent.from_event(approval_event()).approved_at == APPROVED_AT
    event = approval_event()
    del event["detail"]["LastModifiedTime"]
    assert ApprovalEvent.from_event(event).approved_at == "2026-11-27T09:00:00Z"


def test_the_package_arn_may_come_from_resources():
    event = approval_event()
    del event["detail"]["ModelPackageArn"]
    assert ApprovalEvent.from_event(event).package_arn == event["resources"][0]


@pytest.mark.parametrize(("change", "message"), [
    (lambda e: e.update(source="aws.s3"), "not a model package state change"),
    (lambda e: e.pop("detail"), "no 'detail' object"),
    (lambda e: e["detail"].pop("ModelApprovalStatus"), "lacks detail.ModelApprovalStatus"),
    (lambda e: [e["detail"].pop("LastModifiedTime"), e["detail"].pop("CreationTime")],
     "lacks detail.LastModifiedTime (or CreationTime)"),
])
def test_a_malformed_event_raises_naming_what_is_missing(change, message):
    event = approval_event()
    change(event)
    with pytest.raises(ValueError) as caught:
        ApprovalEvent.from_event(event)
    assert message in str(caught.value)
