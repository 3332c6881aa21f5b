"""Every AWS call of the deployed stack, checked against the policies of the role that made it.

`IamCheck` records calls while the embedded cloud runs (`recording`) and, when asked, evaluates
the distinct permissions they needed against the synthesized templates' policies
(`policies`, `simulator`), plus, for each component, the trust policy that lets its service
assume the role. Decisions are cached, so asking after every test costs only the new calls.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mlops.localcloud.iam.authorization import Authorization
from mlops.localcloud.iam.callers import Caller, Callers
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.policies import PolicyIndex
from mlops.localcloud.iam.principals import Principal
from mlops.localcloud.iam.recording import CallRecorder, RecordedCall
from mlops.localcloud.iam.report import Findings, IamCheckFailed, Refusal, Unchecked, reason
from mlops.localcloud.iam.simulation_request import request_key, simulation_request, trust
from mlops.localcloud.iam.simulator import Decision, Simulator
from mlops.localcloud.provisioner import Deployment

FIXED_TASK_KEY = "ak"  # moto Step Functions' own credentials: a task that did not get its role


@dataclass(frozen=True)
class Mark:
    calls: int
    unattributed: Counter


@dataclass(frozen=True)
class _Entry:
    caller: Caller
    principal: Principal | None
    operation: str
    authorization: Authorization
    request_id: str


class IamCheck:
    def __init__(self, *, account: str, region: str, deployments: Callable[[], Iterable[Deployment]],
                 partition: str = "aws") -> None:
        self.where = Where(account, region, partition)
        self.recorder = CallRecorder(self.where)
        self._deployments = deployments
        self._simulator = Simulator()
        self._decisions: dict[str, Decision] = {}
        self._lock = threading.Lock()

    @property
    def calls(self) -> list[RecordedCall]:
        return list(self.recorder.calls)

    def caller_of(self, call: RecordedCall) -> str:
        """The component that made `call`: "Lambda function ...", "state machine ..., state ...", ..."""
        if call.principal is None:
            return call.caller or "?"
        return Callers(list(self._deployments()), self.where).of(call.principal).label

    def mark(self) -> Mark:
        """A point in the recording: `findings(since=mark)` covers only the calls after it."""
        return Mark(len(self.recorder.calls), Counter(self.recorder.unattributed))

    def assert_allowed(self, since: Mark | None = None) -> Findings:
        found = self.findings(since)
        if not found.ok:
            raise IamCheckFailed(found.text())
        return found

    def findings(self, since: Mark | None = None) -> Findings:
        deployments = list(self._deployments())
        index, callers = PolicyIndex(deployments), Callers(deployments, self.where)
        # A rule someone added by hand (a test's, an operator's) is not the deployed stack's.
        rules = {rule.arn for deployment in deployments for rule in deployment.rules()}
        calls = [c for c in self.recorder.calls[since.calls if since else 0:] if c.source is None or c.source in rules]
        entries, requests, unchecked = self._collect(calls, index, callers)
        decisions = self._decide(requests, index.documents)
        found = Findings(calls=len(calls), permissions=len(requests))
        found.refused = self._refusals(entries, decisions, callers, unchecked)
        found.unchecked = [Unchecked(c, o, p, n) for (c, o, p), n in unchecked.items()]
        found.unchecked += self._unattributed(since)
        found.unchecked += [Unchecked("the check", f"managed policy {arn}", "its document is unknown (not in the "
                                      "templates, not an AWS managed policy moto knows): checked without it", 0)
                            for arn in sorted(index.missing)]
        return found

    def _collect(self, calls: list[RecordedCall], index: PolicyIndex, callers: Callers):
        """The simulator requests the calls need (by key), which call needed which, and what
        could not be asked (counted by caller, operation and reason)."""
        entries, requests, unchecked = [], {}, Counter()
        for call in calls:
            caller = callers.of(call.principal) if call.principal else Caller(call.caller or "?", None)
            if call.problem:
                unchecked[(caller.label, call.operation, call.problem)] += 1
            needed = [(call.operation, a) for a in call.authorizations]
            if call.principal and caller.service:
                needed.append((f"{caller.service} AssumeRole", trust(call.principal, caller, self.where)))
            for operation, authorization in needed:
                request = simulation_request(call.principal, authorization, index, self.where)
                if isinstance(request, str):
                    unchecked[(caller.label, operation, request)] += 1
                    continue
                key = request_key(request, index.documents)
                requests[key] = request
                entries.append(_Entry(caller, call.principal, operation, authorization, key))
        return entries, requests, unchecked

    def report(self, since: Mark | None = None) -> str:
        return self.findings(since).text()

    def close(self) -> None:
        self._simulator.close()

    def _decide(self, requests: dict[str, dict], documents: dict[str, dict]) -> dict[str, Decision]:
        with self._lock:
            new = {rid: r for rid, r in requests.items() if rid not in self._decisions}
            if new:
                used = {p for r in new.values() for p in (*r["identity"], *r["boundary"], r["resource_policy"]) if p}
                batch = [{**r, "id": rid} for rid, r in new.items()]
                self._decisions.update(self._simulator.evaluate({p: documents[p] for p in used}, batch))
            return {rid: self._decisions[rid] for rid in requests}

    def _refusals(self, entries, decisions, callers: Callers, unchecked: Counter) -> list[Refusal]:
        groups: dict[tuple, dict] = {}
        for entry in entries:
            decision, a = decisions[entry.request_id], entry.authorization
            if decision.decision == "Error":
                unchecked[(entry.caller.label, entry.operation,
                           f"{a.action} on {a.resource} could not be evaluated: {decision.error}")] += 1
                continue
            if decision.allowed:
                continue
            role = a.service_principal or callers.role_label(entry.principal.role_arn)
            key = (role, entry.caller.label, a.action, a.resource, decision.decision, reason(decision.denials))
            group = groups.setdefault(key, {"operations": {}, "calls": 0, "note": a.note,
                                            "role_arn": None if a.service_principal else entry.principal.role_arn})
            group["operations"][entry.operation] = None
            group["calls"] += 1
        return [Refusal(role, g["role_arn"], caller, action, resource, decision, why, tuple(g["operations"]),
                        g["calls"], g["note"]) for (role, caller, action, resource, decision, why), g in groups.items()]

    def _unattributed(self, since: Mark | None) -> list[Unchecked]:
        counts = Counter(self.recorder.unattributed)
        if since:
            counts.subtract(since.unattributed)
        out = []
        for key, n in counts.items():
            if n <= 0:
                continue
            why = ("moto Step Functions' fixed credentials: a task did not call as its state machine's role"
                   if key == FIXED_TASK_KEY else "credentials no role was assumed for")
            out.append(Unchecked(f"access key {key}", "calls", f"signed with {why}", n))
        return out
