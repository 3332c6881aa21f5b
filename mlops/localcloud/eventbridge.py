"""EventBridge delivery to Lambda and Step Functions targets, as AWS does it.

moto matches rules but cannot deliver to state machines and runs nothing in Lambda. The
hooks route every matched (rule, event) here. Delivery is asynchronous, as in AWS: the S3
PUT that caused an event returns before the target runs. A Lambda target is invoked
asynchronously with Lambda's own retries (two, by default) and, when they are spent, the
event goes to the target's dead-letter queue if it has one.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import boto3

from mlops.localcloud.credentials import role_session
from mlops.localcloud.iam import recording as iam_recording
from mlops.localcloud.input_transformer import target_input
from mlops.localcloud.lambda_runtime import LambdaRuntime

LOG = logging.getLogger(__name__)
ASYNC_RETRY_DELAYS = (1.0, 2.0)  # Lambda waits 1 and 2 minutes; compressed locally.


@dataclass
class Delivery:
    rule_name: str
    target_id: str
    target_arn: str
    event: dict
    outcome: str = "pending"
    detail: str = ""
    done: threading.Event = field(default_factory=threading.Event)


class EventBus:
    def __init__(self, *, runtime: LambdaRuntime, endpoint_url: str, region: str) -> None:
        self.runtime = runtime
        self.endpoint_url = endpoint_url
        self.region = region
        self.deliveries: list[Delivery] = []
        self.events_seen: list[dict] = []
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="eventbridge")
        self._lock = threading.Lock()
        self._closed = False

    def deliver(self, *, rule_name: str, rule_arn: str, targets: list[dict], event: dict) -> None:
        """Deliver `event`, which matched rule `rule_name`, to each of its targets."""
        if self._closed:  # the cloud is stopping: nothing can run the targets any more
            return
        with self._lock:
            self.events_seen.append(event)
        for target in targets:
            delivery = Delivery(rule_name, target["Id"], target["Arn"], event)
            with self._lock:
                self.deliveries.append(delivery)
            payload = target_input(target, event, rule_name=rule_name, rule_arn=rule_arn)
            # EventBridge acts as its service principal here: record it for the IAM check.
            iam_recording.eventbridge_delivery(rule_name=rule_name, rule_arn=rule_arn, target=target)
            self._pool.submit(self._deliver_one, delivery, target, payload)

    def wait_idle(self, timeout: float = 60.0) -> None:
        deadline = time.time() + timeout
        for delivery in list(self.deliveries):
            delivery.done.wait(max(0.0, deadline - time.time()))

    def _deliver_one(self, delivery: Delivery, target: dict, payload: str) -> None:
        try:
            service = target["Arn"].split(":")[2]
            if service == "lambda":
                self._to_lambda(delivery, target, payload)
            elif service == "states":
                self._to_state_machine(delivery, target, payload)
            elif service == "sqs":
                self._to_queue(target["Arn"], payload)
                delivery.outcome = "delivered"
            else:
                delivery.outcome, delivery.detail = "unsupported", f"target service {service} is not delivered locally"
                LOG.warning("EventBridge target %s not supported locally", target["Arn"])
        except Exception as exc:  # a delivery failure must never take the bus down
            LOG.exception("EventBridge delivery to %s failed", target["Arn"])
            delivery.outcome, delivery.detail = "failed", str(exc)
            self._dead_letter(target, payload, str(exc))
        finally:
            delivery.done.set()

    def _to_lambda(self, delivery: Delivery, target: dict, payload: str) -> None:
        function_name = target["Arn"].split(":")[6]
        event = json.loads(payload)
        for attempt, delay in enumerate((0.0, *ASYNC_RETRY_DELAYS)):
            time.sleep(delay)
            result = self.runtime.invoke(function_name, event)
            if not result.errored:
                delivery.outcome, delivery.detail = "delivered", json.dumps(result.payload, default=str)
                return
            LOG.warning("async invoke of %s failed (attempt %d): %s", function_name, attempt + 1, result.payload)
        delivery.outcome, delivery.detail = "failed", json.dumps(result.payload, default=str)
        self._dead_letter(target, payload, delivery.detail)

    def _to_state_machine(self, delivery: Delivery, target: dict, payload: str) -> None:
        session = role_session(target["RoleArn"], endpoint_url=self.endpoint_url, region=self.region,
                               session_name="events") if target.get("RoleArn") else boto3.Session(
            aws_access_key_id="embedded", aws_secret_access_key="embedded", region_name=self.region)
        sfn = session.client("stepfunctions", endpoint_url=self.endpoint_url)
        arn = sfn.start_execution(stateMachineArn=target["Arn"], name=str(uuid.uuid4()), input=payload)
        delivery.outcome, delivery.detail = "delivered", arn["executionArn"]

    def _to_queue(self, queue_arn: str, body: str) -> None:
        sqs = boto3.client("sqs", endpoint_url=self.endpoint_url, region_name=self.region,
                           aws_access_key_id="embedded", aws_secret_access_key="embedded")
        name, account = queue_arn.split(":")[5], queue_arn.split(":")[4]
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=body)

    def _dead_letter(self, target: dict, payload: str, reason: str) -> None:
        dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
        if dlq:
            self._to_queue(dlq, payload)
            LOG.warning("event sent to dead-letter queue %s: %s", dlq, reason)

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
