"""StartDeployment: one approval event -> one deterministically named deployment, or a
logged reason to do nothing."""

from __future__ import annotations

import json

import pytest

from lambdas.start_deployment.handler import lambda_handler
from mlops_core.naming import deployment_execution_name
from tests.lambdas.builders import SETTINGS_PREFIX
from tests.lambdas.deployment_fixtures import fresh_deployment_clients  # noqa: F401
from tests.mlops_core.deployment_builders import APPROVED_AT, PACKAGE_ARN, approval_event, penguins_settings

NAME = deployment_execution_name("penguins", PACKAGE_ARN, APPROVED_AT)


@pytest.fixture
def configured(state_machine_arn, ssm):
    """Two models in SSM, as CDK writes them; only penguins' group is the event's."""
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Value=json.dumps(penguins_settings()), Type="String")
    other = {**penguins_settings(), "model": "other", "model_package_group": "MlopsStack-other"}
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}other", Value=json.dumps(other), Type="String")
    return state_machine_arn


def _executions(sfn, arn):
    return sfn.list_executions(stateMachineArn=arn)["executions"]


def test_an_approval_starts_one_deployment_named_from_the_package_and_approval_time(
        configured, sfn, lambda_context):
    result = lambda_handler(approval_event(), lambda_context)
    [execution] = _executions(sfn, configured)
    assert execution["name"] == NAME
    assert result == {"status": "started", "model": "penguins", "execution_name": NAME,
                      "execution_arn": execution["executionArn"], "reason": result["reason"]}


def test_the_input_carries_model_package_serving_settings_poll_seconds_and_names(configured, sfn, lambda_context):
    result = lambda_handler(approval_event(), lambda_context)
    data = json.loads(sfn.describe_execution(executionArn=result["execution_arn"])["input"])
    assert (data["model"], data["model_package_arn"], data["poll_seconds"]) == ("penguins", PACKAGE_ARN, 7)
    assert data["serving"] == penguins_settings()["serving"]
    assert data["names"]["endpoint"] == "MlopsStack-penguins" and data["deployment_id"] == NAME


def test_a_redelivered_approval_starts_nothing_more(configured, sfn, lambda_context):
    lambda_handler(approval_event(), lambda_context)
    # A finished execution of the same name answers ExecutionAlreadyExists; moto's trivial
    # Pass machine has finished by now or is running with the same input (also one run).
    again = lambda_handler(approval_event(), lambda_context)
    assert again["status"] in ("duplicate", "started")
    assert len(_executions(sfn, configured)) == 1


@pytest.mark.parametrize(("event", "reason"), [
    (approval_event(account="999999999999"), "the event is from account 999999999999"),
    (approval_event(region="eu-west-1"), "in eu-west-1"),
    (approval_event(status="Rejected"), "is Rejected, not Approved"),
    (approval_event(group="MlopsStack-unknown"), "package group MlopsStack-unknown belongs to no model"),
])
def test_events_that_deploy_nothing_are_ignored_with_the_reason(configured, sfn, lambda_context, event, reason):
    result = lambda_handler(event, lambda_context)
    assert result["status"] == "ignored" and reason in result["reason"] and result["execution_arn"] is None
    assert _executions(sfn, configured) == []


def test_a_malformed_event_raises_so_eventbridge_retries_and_dead_letters_it(configured, lambda_context):
    event = approval_event()
    del event["detail"]["ModelApprovalStatus"]
    with pytest.raises(ValueError, match="lacks detail.ModelApprovalStatus"):
        lambda_handler(event, lambda_context)


def test_the_group_is_found_beyond_the_first_page_of_settings(state_machine_arn, ssm, sfn, lambda_context):
    for index in range(12):  # GetParametersByPath answers 10 per page
        settings = {**penguins_settings(), "model": f"m{index:02d}", "model_package_group": f"MlopsStack-m{index:02d}"}
        ssm.put_parameter(Name=f"{SETTINGS_PREFIX}m{index:02d}", Value=json.dumps(settings), Type="String")
    result = lambda_handler(approval_event(group="MlopsStack-m11"), lambda_context)
    assert result["status"] == "started" and result["model"] == "m11"
