"""Invoking a schedule's target as the schedule's role, as EventBridge Scheduler does.

Scheduler assumes the target's RoleArn and calls the target with those credentials, so the
role's own policies must allow the call (the IAM check sees it as that role's). Templated
targets: Lambda (Invoke; the function's answer is the result), SQS (SendMessage, with
SqsParameters.MessageGroupId), Step Functions (StartExecution) and EventBridge buses (PutEvents
with EventBridgeParameters' Source and DetailType). Universal targets,
`arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, call that API with Input as its request.

Input may carry Scheduler's context attributes (`<aws.scheduler.schedule-arn>`,
`<aws.scheduler.scheduled-time>`, `<aws.scheduler.execution-id>`,
`<aws.scheduler.attempt-number>`), replaced on each attempt.
"""

from __future__ import annotations

import json
import re

import boto3
from botocore.exceptions import ClientError

# Universal targets name services as the SDKs' API references do; boto3 spells a few otherwise.
_BOTO3_NAMES = {"sfn": "stepfunctions"}
_UNIVERSAL = re.compile(r"^arn:aws[a-z-]*:scheduler:::aws-sdk:([a-z0-9-]+):([a-zA-Z0-9]+)$")


class TargetError(Exception):
    """The target could not be invoked; `code` is AWS's error code, `retryable` says whether
    Scheduler would try again."""

    def __init__(self, code: str, message: str, *, retryable: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.retryable = code, message, retryable


def render_input(text: str | None, *, schedule_arn: str, scheduled_time: str, execution_id: str,
                 attempt: int) -> str | None:
    if text is None:
        return None
    for name, value in (("schedule-arn", schedule_arn), ("scheduled-time", scheduled_time),
                        ("execution-id", execution_id), ("attempt-number", str(attempt))):
        text = text.replace(f"<aws.scheduler.{name}>", value)
    return text


def invoke(session: boto3.Session, endpoint_url: str, target: dict, payload: str | None, *, execution_id: str):
    """Call the target; returns what it answered (a Lambda function's payload, parsed if JSON).
    Raises TargetError for anything that kept the call from being made."""
    arn = target["Arn"]
    try:
        if match := _UNIVERSAL.match(arn):
            return _universal(session, endpoint_url, match.group(1), match.group(2), payload)
        service = arn.split(":")[2]
        client = session.client({"states": "stepfunctions"}.get(service, service), endpoint_url=endpoint_url)
        if service == "lambda":
            return _lambda(client, arn, payload)
        if service == "sqs":
            return _sqs(client, arn, target, payload)
        if service == "states":
            return client.start_execution(stateMachineArn=arn, name=execution_id, input=payload or "{}")["executionArn"]
        if service == "events":
            return _events(client, arn, target, payload)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
        code = error.get("Code", "ClientError")
        raise TargetError(code, error.get("Message", str(exc)),
                          retryable=status >= 500 or code in ("ThrottlingException", "TooManyRequestsException",
                                                              "Throttling", "ServiceUnavailable")) from None
    raise TargetError("ValidationException", f"Target {arn} is not a target type the embedded cloud's "
                      "scheduler can invoke (Lambda, SQS, Step Functions, EventBridge or aws-sdk universal).",
                      retryable=False)


def _lambda(client, arn: str, payload: str | None):
    answer = client.invoke(FunctionName=arn, InvocationType="RequestResponse", Payload=(payload or "{}").encode())
    body = answer["Payload"].read().decode("utf-8")
    try:
        return json.loads(body) if body else None
    except json.JSONDecodeError:
        return body


def _sqs(client, arn: str, target: dict, payload: str | None):
    account, name = arn.split(":")[4], arn.split(":")[5]
    url = client.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
    group = (target.get("SqsParameters") or {}).get("MessageGroupId")
    extra = {"MessageGroupId": group} if group else {}
    return client.send_message(QueueUrl=url, MessageBody=payload or "{}", **extra)["MessageId"]


def _events(client, arn: str, target: dict, payload: str | None):
    params = target.get("EventBridgeParameters") or {}
    if not params.get("Source") or not params.get("DetailType"):
        raise TargetError("ValidationException", "An EventBridge target needs EventBridgeParameters with "
                          "Source and DetailType.", retryable=False)
    answer = client.put_events(Entries=[{"EventBusName": arn, "Source": params["Source"],
                                         "DetailType": params["DetailType"], "Detail": payload or "{}"}])
    if answer.get("FailedEntryCount"):
        entry = answer["Entries"][0]
        raise TargetError(entry.get("ErrorCode", "PutEventsFailed"), entry.get("ErrorMessage", ""), retryable=False)
    return answer["Entries"][0].get("EventId")


def _universal(session, endpoint_url: str, service: str, action: str, payload: str | None):
    client = session.client(_BOTO3_NAMES.get(service, service), endpoint_url=endpoint_url)
    method = {api: py for py, api in client.meta.method_to_api_mapping.items()}.get(action[:1].upper() + action[1:])
    if method is None:
        raise TargetError("ValidationException", f"{service} has no API action {action}.", retryable=False)
    try:
        request = json.loads(payload or "{}")
    except json.JSONDecodeError as exc:
        raise TargetError("ValidationException", f"The Input of a universal target must be the JSON request of "
                          f"{service}:{action}: {exc}.", retryable=False) from None
    answer = getattr(client, method)(**request)
    answer.pop("ResponseMetadata", None)
    return answer
