"""IAM policy evaluation by `@cloud-copilot/iam-simulate` (npm), through `simulate.mjs`.

Why this library: it implements AWS's evaluation logic as documented (explicit deny over allow,
identity and resource policies with the same-account rules, KMS key policies that must allow,
permission boundaries, `*`/`?` wildcards, NotAction/NotResource, every condition operator,
`...IfExists`, multi-valued keys) and validates actions and ARNs against AWS's catalogue. moto's
own `IAMPolicy` only matches Action/Resource patterns (no NotResource, no `?`, case-sensitive
actions, and a condition that does not match turns an Allow into a Deny). The Python packages
looked at lint, expand or summarise policies (parliament, policyuniverse, cloudsplaining, iam-ape)
rather than decide one request with its context.

One Node process per checker, fed batches of distinct requests: starting Node and loading
AWS's catalogue takes ~0.6 s, one evaluation ~2-3 ms.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from mlops.localcloud.iam.iam_data import INSTALL_HINT, NODE_MODULES, MissingNodePackages

SCRIPT = Path(__file__).with_name("simulate.mjs")


@dataclass(frozen=True)
class Decision:
    decision: str  # Allowed | ImplicitlyDenied | ExplicitlyDenied | Error
    denials: tuple = field(default=(), compare=False)  # iam-simulate's getDenialReasons
    error: str | None = None

    @property
    def allowed(self) -> bool:
        return self.decision == "Allowed"


class Simulator:
    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def evaluate(self, policies: dict[str, dict], requests: list[dict]) -> dict[str, Decision]:
        """Decisions by request id. Each request: id, principal, action, resource, account,
        context, identity (policy ids), boundary (policy ids), resource_policy (a policy id)."""
        if not requests:
            return {}
        with self._lock:
            process = self._started()
            process.stdin.write(json.dumps({"policies": policies, "requests": requests}) + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the IAM policy simulator stopped: {self._stderr()}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the IAM policy simulator failed: {answer['error']}")
        return {r["id"]: Decision(r["decision"], tuple(r.get("denials") or ()), r.get("error"))
                for r in answer["results"]}

    def _started(self) -> subprocess.Popen:
        if self._process is not None and self._process.poll() is None:
            return self._process
        node = shutil.which("node")
        if node is None:
            raise MissingNodePackages("the IAM check needs Node.js 20+ on PATH (`node`)")
        if not (NODE_MODULES / "@cloud-copilot" / "iam-simulate").is_dir():
            raise MissingNodePackages(f"@cloud-copilot/iam-simulate is not installed: {INSTALL_HINT}")
        self._process = subprocess.Popen([node, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True, bufsize=1)
        return self._process

    def _stderr(self) -> str:
        if self._process is None or self._process.poll() is None:
            return "no answer"
        return (self._process.stderr.read() or "").strip()[-2000:] or f"exit code {self._process.returncode}"

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.stdin.close()
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
                self._process = None
