"""Schedules run as EventBridge Scheduler runs them: on their expression's clock, as their
role, with their input, only while ENABLED, with a dead-letter queue for what cannot be
delivered; `run_now` runs one at once and returns the target's answer."""

from __future__ import annotations

import json
from datetime import UTC

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.scheduler import ScheduleNotRunnable
from tests.localcloud.scheduler.conftest import received

OFF = {"Mode": "OFF"}


@pytest.fixture(autouse=True)
def _fresh_schedules(cloud):
    """Each test sees only its own schedules."""
    yield
    scheduler = cloud.client("scheduler")
    for schedule in scheduler.list_schedules()["Schedules"]:
        scheduler.delete_schedule(Name=schedule["Name"], GroupName=schedule["GroupName"])


def _create(cloud, name, target, expression="rate(5 minutes)", **extra):
    cloud.client("scheduler").create_schedule(Name=name, ScheduleExpression=expression, FlexibleTimeWindow=OFF,
                                              Target=target, **extra)


def test_run_now_invokes_the_lambda_target_and_returns_its_answer_with_context_attributes(cloud, role_arn, echo_function):
    _create(cloud, "echo-now", {"Arn": echo_function, "RoleArn": role_arn,
                                "Input": json.dumps({"check": "data-quality", "arn": "<aws.scheduler.schedule-arn>",
                                                     "attempt": "<aws.scheduler.attempt-number>"})})
    answer = cloud.schedules.run_now("echo-now")
    assert answer["received"] == {"check": "data-quality", "attempt": "1",
                                  "arn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/echo-now"}


def test_a_due_schedule_runs_once_per_period_on_the_clock(cloud, role_arn, clock, queue):
    url, arn = queue
    _create(cloud, "every-five", {"Arn": arn, "RoleArn": role_arn, "Input": "tick"})
    assert cloud.schedules.run_due() == []  # first seen: due five minutes from now
    clock.advance(299)
    assert cloud.schedules.run_due() == []
    clock.advance(1)
    runs = cloud.schedules.run_due()
    assert [r.outcome for r in runs] == ["delivered"]
    assert [m["Body"] for m in received(cloud, url)] == ["tick"]
    assert cloud.schedules.run_due() == []  # the next run is five minutes later


def test_a_disabled_schedule_does_not_run(cloud, role_arn, clock, queue):
    url, arn = queue
    _create(cloud, "disabled", {"Arn": arn, "RoleArn": role_arn}, expression="rate(1 minute)", State="DISABLED")
    cloud.schedules.run_due()
    clock.advance(120)
    assert cloud.schedules.run_due() == []
    with pytest.raises(ScheduleNotRunnable, match="DISABLED"):
        cloud.schedules.run_now("disabled")
    assert received(cloud, url) == []


def test_an_at_schedule_runs_once_and_is_deleted_after_when_asked(cloud, role_arn, clock, queue):
    from datetime import datetime

    url, arn = queue
    moment = datetime.fromtimestamp(clock.now + 60, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    _create(cloud, "once", {"Arn": arn, "RoleArn": role_arn, "Input": "once"}, expression=f"at({moment})",
            ActionAfterCompletion="DELETE")
    cloud.schedules.run_due()
    clock.advance(61)
    assert len(cloud.schedules.run_due()) == 1
    clock.advance(600)
    assert cloud.schedules.run_due() == []
    assert [m["Body"] for m in received(cloud, url)] == ["once"]
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        cloud.client("scheduler").get_schedule(Name="once")


def test_universal_target_calls_the_api_with_input_as_its_request(cloud, role_arn, queue):
    url, _arn = queue
    _create(cloud, "universal", {"Arn": "arn:aws:scheduler:::aws-sdk:sqs:sendMessage", "RoleArn": role_arn,
                                 "Input": json.dumps({"QueueUrl": url, "MessageBody": "from the sdk"})})
    assert "MessageId" in cloud.schedules.run_now("universal")
    assert [m["Body"] for m in received(cloud, url)] == ["from the sdk"]


def test_an_undeliverable_target_goes_to_the_dead_letter_queue_with_schedulers_attributes(cloud, role_arn, queue):
    url, dlq = queue
    missing = "arn:aws:lambda:us-east-1:123456789012:function:no-such-function"
    _create(cloud, "broken", {"Arn": missing, "RoleArn": role_arn, "Input": "{}", "DeadLetterConfig": {"Arn": dlq},
                              "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 60}})
    with pytest.raises(RuntimeError, match="ResourceNotFoundException"):
        cloud.schedules.run_now("broken")
    [message] = received(cloud, url)
    attributes = {k: v["StringValue"] for k, v in message["MessageAttributes"].items()}
    assert attributes["ERROR_CODE"] == "ResourceNotFoundException"
    assert attributes["TARGET_ARN"] == missing and attributes["RETRY_ATTEMPTS"] == "0"  # not a retryable error
    assert attributes["SCHEDULE_ARN"].endswith(":schedule/default/broken")


@pytest.mark.parametrize(("extra", "code", "message"), [
    ({"ScheduleExpression": "rate(5 fortnights)"}, "ValidationException", "Invalid Schedule Expression"),
    ({"ScheduleExpression": "cron(0 9 * * ? *)", "ScheduleExpressionTimezone": "Nowhere/Land"},
     "ValidationException", "Nowhere/Land"),
    ({"GroupName": "no-such-group"}, "ResourceNotFoundException", "Schedule group no-such-group does not exist"),
])
def test_create_schedule_refuses_what_scheduler_refuses(cloud, role_arn, extra, code, message):
    request = {"Name": "refused", "ScheduleExpression": "rate(5 minutes)", "FlexibleTimeWindow": OFF,
               "Target": {"Arn": "arn:aws:sqs:us-east-1:123456789012:q", "RoleArn": role_arn}, **extra}
    with pytest.raises(ClientError) as caught:
        cloud.client("scheduler").create_schedule(**request)
    assert caught.value.response["Error"]["Code"] == code
    assert message in caught.value.response["Error"]["Message"]
