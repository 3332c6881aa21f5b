"""Calls an AWS service makes as its own service principal, for a component of the stack.

EventBridge delivers to a Lambda or SQS target as events.amazonaws.com: the target's resource
policy must allow it, for that rule (`aws:SourceArn`). A state machine target is started with
the target's RoleArn instead (moto records that role's StartExecution); without one, AWS
refuses the target. A dead-letter queue must accept what EventBridge could not deliver: checked
on every delivery, since a test rarely makes a delivery fail.
"""

from __future__ import annotations

from dataclasses import replace

from mlops.localcloud.iam.authorization import Authorization, pairs
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.service_rules import queue_kms

EVENTS = "events.amazonaws.com"


def eventbridge_target(*, rule_arn: str, target: dict, where: Where) -> tuple[str, list[Authorization], str | None]:
    """(operation label, authorizations, problem) of one delivery of a rule to `target`."""
    service = target["Arn"].split(":")[2]
    keys = {"aws:SourceArn": rule_arn, "aws:SourceAccount": where.account}
    needed, problem = [], None
    if service == "lambda":
        needed.append(Authorization("lambda:InvokeFunction", target["Arn"], pairs(keys), EVENTS,
                                    note="EventBridge invokes the function target"))
    elif service == "sqs":
        needed += _send(target["Arn"], keys, where, "EventBridge sends to the queue target")
    elif service == "states" and not target.get("RoleArn"):
        problem = (f"target {target.get('Id')} ({target['Arn']}) has no RoleArn: "
                   "EventBridge needs one to start executions")
    dead_letters = (target.get("DeadLetterConfig") or {}).get("Arn")
    if dead_letters:
        needed += _send(dead_letters, keys, where, "dead-letter queue of the target: EventBridge sends there "
                                                   "the events it could not deliver")
    return f"events.Deliver to {service} target {target.get('Id')}", needed, problem


def _send(queue_arn: str, keys: dict, where: Where, note: str) -> list[Authorization]:
    send = Authorization("sqs:SendMessage", queue_arn, pairs(keys), EVENTS, note=note)
    kms = queue_kms("SendMessage", queue_arn.rsplit(":", 1)[-1], where, keys)
    return [send, *(replace(a, service_principal=EVENTS) for a in kms)]
