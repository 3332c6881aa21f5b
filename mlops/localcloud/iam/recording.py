"""Records every AWS call made to the embedded cloud, with the role that made it.

Hook: moto's `ActionAuthenticatorMixin._authenticate_and_authorize_action`, which every
service's request passes before moto acts on it (moto's own optional IAM check sits there).
The call is parsed and its authorizations resolved right there, on the server thread, while
moto's state is the one the call meets (the KMS key an object was written with, the next model
package version); the policies are evaluated later, in one batch (`checker`).

Calls that a service makes for a component without an API request of its own (EventBridge
invoking a Lambda target through the function's resource policy) are recorded by the runtime
that stands in for the service, through `eventbridge_delivery`.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass

from moto.core.authorization import ActionAuthenticatorMixin

from mlops.localcloud.iam import operations, requests
from mlops.localcloud.iam.authorization import Authorization, Unmapped
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.principals import OPERATOR_KEYS, Principal, Principals
from mlops.localcloud.iam.service_calls import eventbridge_target

LOG = logging.getLogger(__name__)
_active: CallRecorder | None = None
_original = {}


@dataclass(frozen=True)
class RecordedCall:
    index: int
    operation: str  # "s3.GetObject"
    principal: Principal | None  # None for a service principal's call
    authorizations: tuple[Authorization, ...]
    problem: str | None = None  # why the permissions this call needs could not be told
    caller: str | None = None  # who the call was made for, when the principal does not say
    source: str | None = None  # the resource a service acted for (an EventBridge rule's ARN)


class CallRecorder:
    def __init__(self, where: Where) -> None:
        self.where = where
        self.principals = Principals(where)
        self.calls: list[RecordedCall] = []
        self.unattributed: Counter[str] = Counter()  # access key -> calls not made by any role
        self._lock = threading.Lock()

    def record_request(self, response) -> None:
        key = requests.access_key(response)
        principal = self.principals.of(key)
        if principal is None:
            if key not in OPERATOR_KEYS:
                with self._lock:
                    self.unattributed[key] += 1
            return
        problem, needed, operation = None, (), "?"
        try:
            service, name, params = requests.parse(response)
            operation = f"{service}.{name}"
            needed = tuple(operations.authorizations(service, name, params, self.where))
        except Unmapped as exc:
            problem = str(exc)
        except Exception as exc:  # never fail the request for the checker's sake; report it instead
            LOG.exception("IAM check could not read a request")
            problem = f"the request could not be read: {type(exc).__name__}: {exc}"
        self._append(operation, principal, needed, problem)

    def record_service_call(self, operation: str, caller: str, needed: list[Authorization],
                            problem: str | None = None, source: str | None = None) -> None:
        self._append(operation, None, tuple(needed), problem, caller, source)

    def _append(self, operation, principal, needed, problem, caller=None, source=None) -> None:
        with self._lock:
            self.calls.append(RecordedCall(len(self.calls), operation, principal, needed, problem, caller, source))


def install() -> None:
    """Patch moto once per process; calls are recorded only while a recorder is active."""
    if _original:
        return
    _original["authorize"] = ActionAuthenticatorMixin._authenticate_and_authorize_action
    ActionAuthenticatorMixin._authenticate_and_authorize_action = _authenticate_and_authorize_action


def activate(recorder: CallRecorder | None) -> None:
    global _active
    _active = recorder


def _authenticate_and_authorize_action(self, iam_request_cls, resource="*"):
    recorder = _active
    # S3 authorizes some requests twice on their way through moto; record each request once.
    if recorder is not None and not getattr(self, "_mlops_iam_recorded", False):
        self._mlops_iam_recorded = True
        recorder.record_request(self)
    return _original["authorize"](self, iam_request_cls, resource)


def eventbridge_delivery(*, rule_name: str, rule_arn: str, target: dict) -> None:
    """What EventBridge needs to deliver to `target`: it acts as events.amazonaws.com, allowed by
    the target's resource policy (Lambda, SQS) or through the target's RoleArn (whose own calls
    moto records); a dead-letter queue must let it send the events it could not deliver."""
    recorder = _active
    if recorder is None:
        return
    operation, needed, problem = eventbridge_target(rule_arn=rule_arn, target=target, where=recorder.where)
    if needed or problem:
        recorder.record_service_call(operation, f"EventBridge rule {rule_name}", needed, problem, rule_arn)
