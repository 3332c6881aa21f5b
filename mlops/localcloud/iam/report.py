"""What the IAM check found, in words a reviewer can act on."""

from __future__ import annotations

from dataclasses import dataclass, field

_POLICY_TYPES = {
    "identity": "identity-based policy", "resource": "resource policy", "pb": "permissions boundary",
    "scp": "service control policy", "rcp": "resource control policy", "vpce": "VPC endpoint policy",
    "s3-bpa": "S3 Block Public Access",
}


@dataclass(frozen=True)
class Refusal:
    """A permission the deployed role (or service principal) lacks for calls it made."""

    role: str  # role logical id and name, or a service principal
    role_arn: str | None
    caller: str  # the component: "Lambda function ...", "state machine ..., state ...", "SageMaker job ..."
    action: str
    resource: str
    decision: str  # ImplicitlyDenied | ExplicitlyDenied
    reason: str
    operations: tuple[str, ...]  # the API calls that needed it, e.g. ("s3.GetObject",)
    calls: int
    note: str = ""

    def line(self) -> str:
        note = f" [{self.note}]" if self.note else ""
        return (f"REFUSED {self.action} on {self.resource}\n"
                f"    role {self.role}, as {self.caller}\n"
                f"    needed by {', '.join(self.operations)} ({self.calls} call{'s' * (self.calls != 1)}): "
                f"{self.decision}: {self.reason}{note}")


@dataclass(frozen=True)
class Unchecked:
    """Calls whose permissions the check could not tell: a gap to close, not a pass."""

    caller: str
    operation: str
    problem: str
    calls: int

    def line(self) -> str:
        count = f" ({self.calls} call{'s' * (self.calls != 1)})" if self.calls else ""
        return f"UNCHECKED {self.operation} by {self.caller}{count}: {self.problem}"


@dataclass
class Findings:
    refused: list[Refusal] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    calls: int = 0  # calls made by the stack's roles (and by services for it)
    permissions: int = 0  # distinct (principal, action, resource, context) evaluated

    @property
    def ok(self) -> bool:
        return not self.refused and not self.unchecked

    def text(self) -> str:
        refused_calls = sum(r.calls for r in self.refused)
        head = (f"IAM check: {len(self.refused)} permission(s) missing, refusing {refused_calls} of {self.calls} "
                f"calls made by the deployed roles ({self.permissions} distinct permissions evaluated); "
                f"{len(self.unchecked)} kind(s) of call could not be checked")
        return "\n".join([head, *(r.line() for r in self.refused), *(u.line() for u in self.unchecked)])


def reason(denials: tuple) -> str:
    """iam-simulate's denial reasons in words."""
    words = []
    for denial in denials:
        kind = _POLICY_TYPES.get(denial.get("policyType"), denial.get("policyType", "policy"))
        if denial.get("denialType") == "Explicit":
            statement = denial.get("statementId") or f"#{denial.get('statementIndex')}"
            words.append(f"explicitly denied by {kind} statement {statement}")
        else:
            words.append(f"no {kind} allows it")
    return "; ".join(words) or "not allowed"


class IamCheckFailed(AssertionError):
    """Raised by `IamCheck.assert_allowed`; the message is the report."""
