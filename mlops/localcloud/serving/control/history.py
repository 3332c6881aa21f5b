"""The traffic history of an endpoint: every change of who serves how much, and why.

Readable as `cloud.endpoints.history(name)`, so tests and demos can show the canary steps and
a rollback as they happened (DescribeEndpoint only shows the present).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TrafficStep:
    time: datetime                 # UTC
    endpoint_config_name: str      # the config this step is about (the new one during an update)
    weights: dict[str, float]      # "<endpoint config>/<variant>" -> share of production traffic
    reason: str                    # "create", "canary", "linear step 2 of 4", "all traffic", "rollback", ...
    alarm: str | None = None       # the alarm that caused a rollback
    shadows: dict[str, float] = field(default_factory=dict)  # shadow fleet -> mirrored fraction


class TrafficHistory:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._steps: dict[str, list[TrafficStep]] = {}

    def start(self, endpoint: str) -> None:
        """A new endpoint of this name: its history starts empty."""
        with self._lock:
            self._steps[endpoint] = []

    def add(self, endpoint: str, step: TrafficStep) -> None:
        with self._lock:
            self._steps.setdefault(endpoint, []).append(step)

    def of(self, endpoint: str) -> list[TrafficStep]:
        with self._lock:
            return list(self._steps.get(endpoint, []))
