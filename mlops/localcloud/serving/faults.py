"""Fault injection for tests and demos: make a model version fail or slow down, for real.

`inject(match, error_rate=, latency_ms=)` names the model by its model package ARN, SageMaker
model name or ModelDataUrl. For each request a matching fleet serves, the container sleeps
`latency_ms` (so it shows in ModelLatency) and, with probability `error_rate`, answers 500 instead
of predicting: the caller gets ModelError 424 with OriginalStatusCode 500 and the request counts
in Invocation5XXErrors, exactly as a failing container would.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Fault:
    match: str
    error_rate: float = 1.0
    latency_ms: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.match, str) or not self.match.strip():
            raise ValueError("match must name a model package ARN, a SageMaker model name or a ModelDataUrl")
        rate = self.error_rate
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
            raise ValueError(f"error_rate must be a number from 0 to 1, got {rate!r}")
        latency = self.latency_ms
        if isinstance(latency, bool) or not isinstance(latency, int) or not 0 <= latency <= 600_000:
            raise ValueError(f"latency_ms must be an integer from 0 to 600000, got {latency!r}")


class FaultInjector:
    def __init__(self, *, seed: int | None = None) -> None:
        self._faults: dict[str, Fault] = {}
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def inject(self, match: str, *, error_rate: float = 1.0, latency_ms: int = 0) -> None:
        fault = Fault(match, error_rate, latency_ms)
        with self._lock:
            self._faults.pop(match, None)  # the newest injection wins when several match
            self._faults[match] = fault

    def clear(self, match: str | None = None) -> None:
        with self._lock:
            if match is None:
                self._faults.clear()
            else:
                self._faults.pop(match, None)

    def list(self) -> list[dict]:
        with self._lock:
            return [asdict(fault) for fault in self._faults.values()]

    def draw(self, identities: frozenset[str]) -> dict | None:
        """What the container should do for one request: None, or {"latency_ms", "error", "match"}."""
        if not self._faults:  # the common case costs one attribute read
            return None
        with self._lock:
            matching = [f for f in self._faults.values() if f.match in identities]
            if not matching:
                return None
            fault = matching[-1]
            error = fault.error_rate > 0 and self._random.random() < fault.error_rate
        return {"latency_ms": fault.latency_ms, "error": error, "match": fault.match}
