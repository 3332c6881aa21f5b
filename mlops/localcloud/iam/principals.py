"""Who made a call: the role session behind an access key, and the component it stands for.

Every Lambda worker, state machine task and SageMaker job of the embedded cloud calls AWS with
AssumeRole credentials of its own role, so moto's STS store knows each key's role and session
name. Keys that STS never issued belong to the operator: the person, test or CLI driving the
cloud, and the embedded cloud's own machinery (provisioning, the runtimes): those calls are
not the deployed stack's and are not checked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from moto.sts.models import sts_backends

from mlops.localcloud.iam.moto_state import Where

# Keys the embedded cloud and its users sign with (server.client, credentials.py, the README's
# `AWS_ACCESS_KEY_ID=local`). "ak" is NOT here: it is what moto's Step Functions uses when a task
# did not get its state machine's role, which the check must report.
OPERATOR_KEYS = frozenset({"local", "embedded", ""})


@dataclass(frozen=True)
class Principal:
    role_arn: str
    session_name: str

    @property
    def role_name(self) -> str:
        return self.role_arn.rsplit("/", 1)[-1]

    def session_arn(self, where: Where) -> str:
        account = self.role_arn.split(":")[4]
        return f"arn:{where.partition}:sts::{account}:assumed-role/{self.role_name}/{self.session_name}"


class Principals:
    """Access key -> Principal, cached (moto's STS keeps a list it scans)."""

    def __init__(self, where: Where) -> None:
        self.where = where
        self._known: dict[str, Principal | None] = {}
        self._lock = threading.Lock()

    def of(self, access_key: str) -> Principal | None:
        with self._lock:
            if access_key in self._known:
                return self._known[access_key]
        role = sts_backends[self.where.account][self.where.partition].get_assumed_role_from_access_key(access_key)
        found = Principal(role.role_arn, role.session_name) if role is not None else None
        with self._lock:
            self._known[access_key] = found
        return found
