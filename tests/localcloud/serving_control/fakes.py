"""Stand-ins for the data plane and for time, for the deployer's timing and state tests only.

The integration tests (test_endpoints_*.py) use the real FleetHost and EndpointRouter.
"""

from __future__ import annotations

import threading

from mlops.localcloud.serving import FleetSpec, FleetStartError, Routes


class FakeFleet:
    def __init__(self, spec: FleetSpec, host: "FakeFleetHost") -> None:
        self.spec, self._host, self.closed = spec, host, False

    def close(self) -> None:
        self.closed = True
        self._host.closed.append(self)

    def __repr__(self) -> str:
        return f"<{self.spec.endpoint_config_name}/{self.spec.variant_name} x{self.spec.instance_count}>"


class FakeFleetHost:
    """Starts fleets at once; a model named in `failing` cannot load."""

    def __init__(self) -> None:
        self.started: list[FakeFleet] = []
        self.closed: list[FakeFleet] = []
        self.failing: dict[str, str] = {}

    def start_fleet(self, spec: FleetSpec) -> FakeFleet:
        if spec.model_name in self.failing:
            raise FleetStartError(self.failing[spec.model_name])
        fleet = FakeFleet(spec, self)
        self.started.append(fleet)
        return fleet

    def running(self) -> list[FakeFleet]:
        return [f for f in self.started if not f.closed]


class FakeRouter:
    """Keeps every table it was given, with the (virtual) time it was given."""

    def __init__(self, clock: "FakeClock") -> None:
        self.clock = clock
        self.tables: dict[str, list[tuple[float, Routes]]] = {}
        self.removed: list[str] = []

    def set_routes(self, endpoint_name: str, routes: Routes) -> None:
        self.tables.setdefault(endpoint_name, []).append((self.clock.now(), routes))

    def remove(self, endpoint_name: str) -> None:
        self.removed.append(endpoint_name)

    def shares(self, endpoint_name: str) -> list[tuple[float, dict[str, float]]]:
        """(time, {"<config>/<variant>": weight}) per table, for readable assertions."""
        return [(t, {f"{f.spec.endpoint_config_name}/{f.spec.variant_name}": round(w, 4)
                     for f, w in routes.production})
                for t, routes in self.tables.get(endpoint_name, [])]


class FakeClock:
    """Virtual seconds: sleeping advances time at once, running what was scheduled on the way."""

    def __init__(self) -> None:
        self.t = 0.0
        self._due: list[tuple[float, object]] = []
        self._lock = threading.Lock()

    def now(self) -> float:
        return self.t

    def at(self, when: float, action) -> None:
        with self._lock:
            self._due.append((when, action))

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        target = self.t + max(0.0, seconds)
        while True:
            with self._lock:
                ready = sorted((d for d in self._due if d[0] <= target), key=lambda d: d[0])
                if not ready:
                    break
                when, action = ready[0]
                self._due.remove(ready[0])
            self.t = max(self.t, when)
            action()
        self.t = max(self.t, target)
