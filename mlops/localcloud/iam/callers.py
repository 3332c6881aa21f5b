"""Which component of the stack a role session is, and which service assumed the role for it.

The embedded cloud names each session after what it runs: the function name (Lambda workers),
the state name (state machine tasks, `task_credentials`), the job name (SageMaker jobs). The
deployed stacks say which functions and state machines use which role, and each role's trust
policy names the services that may assume it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.principals import Principal
from mlops.localcloud.provisioner import Deployment


@dataclass(frozen=True)
class Caller:
    label: str  # e.g. "Lambda function MlopsE2E-ValidateData-1A2B3C"
    service: str | None  # the service principal that assumed the role for it
    source_arn: str | None = None  # the resource it assumed the role for (aws:SourceArn)


class Callers:
    def __init__(self, deployments: list[Deployment], where: Where) -> None:
        self.where = where
        self._functions = {(fn.role_arn, fn.name): fn.arn for d in deployments for fn in d.functions()}
        self._machines: dict[str, list] = {}
        for d in deployments:
            for machine in d.state_machines():
                self._machines.setdefault(machine.role_arn, []).append(machine)
        self._trusted = {role.arn: _services(role.assume_role_policy) for d in deployments for role in d.roles()}
        self._logical = {role.arn: role.logical_id for d in deployments for role in d.roles()}

    def of(self, principal: Principal) -> Caller:
        arn, session = principal.role_arn, principal.session_name
        if (arn, session) in self._functions:
            return Caller(f"Lambda function {session}", "lambda.amazonaws.com")
        machines = self._machines.get(arn, [])
        if machines:
            names = " or ".join(m.name for m in machines)
            source = machines[0].arn if len(machines) == 1 else None
            return Caller(f"state machine {names}, state {session}", "states.amazonaws.com", source)
        if "sagemaker.amazonaws.com" in self._trusted.get(arn, ()):
            return Caller(f"SageMaker job {session}", "sagemaker.amazonaws.com")
        if "events.amazonaws.com" in self._trusted.get(arn, ()):
            return Caller(f"EventBridge target role, session {session}", "events.amazonaws.com")
        return Caller(f"session {session}", None)

    def role_label(self, role_arn: str) -> str:
        logical = self._logical.get(role_arn)
        name = role_arn.rsplit("/", 1)[-1]
        return f"{logical} ({name})" if logical else name


def _services(trust_policy: dict) -> frozenset[str]:
    statements = trust_policy.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    found = set()
    for statement in statements:
        services = (statement.get("Principal") or {}).get("Service", []) if isinstance(
            statement.get("Principal"), dict) else []
        found.update([services] if isinstance(services, str) else services)
    return frozenset(found)
