"""Which fleet answers a request: weighted random over an endpoint's production fleets.

The control plane sets an endpoint's `Routes` as one immutable value (atomic: a request uses the
old routes or the new ones, never a mix). A request enters the fleet it picked, or, if that fleet
has just started closing, picks again from the routes of that moment: exactly one production
fleet answers it. Shadow fleets get a mirrored copy of a sampled request in the background,
after the production answer exists, so they never delay or change it.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from moto.sagemaker.models import sagemaker_backends

from mlops.localcloud.serving.errors import RuntimeApiError, service_unavailable, validation_error
from mlops.localcloud.serving.faults import FaultInjector
from mlops.localcloud.serving.fleet import Fleet
from mlops.localcloud.serving.invocation import ContainerAnswer, Invocation

LOG = logging.getLogger(__name__)
PICK_ATTEMPTS = 50        # re-picks while fleets close under a request (routes change in between)
MAX_SHADOW_BACKLOG = 256  # mirrored requests waiting; beyond it, sampling yields to production


@dataclass(frozen=True)
class Routes:
    production: tuple[tuple[Fleet, float], ...]   # (fleet, weight); weights need not sum to 1
    shadows: tuple[tuple[Fleet, float], ...] = ()  # (fleet, fraction of requests mirrored 0..1)

    def __post_init__(self) -> None:
        for fleet, weight in self.production:
            if not isinstance(weight, (int, float)) or weight < 0:
                raise ValueError(f"the weight of {fleet!r} must be a number >= 0, got {weight!r}")
        for fleet, fraction in self.shadows:
            if not isinstance(fraction, (int, float)) or not 0 <= fraction <= 1:
                raise ValueError(f"the mirrored fraction of {fleet!r} must be from 0 to 1, got {fraction!r}")


@dataclass(frozen=True)
class ShadowResult:
    """A mirrored request's two answers, for whoever compares a shadow variant with production."""
    endpoint_name: str
    event_id: str
    production_fleet: Fleet
    production_answer: ContainerAnswer
    shadow_fleet: Fleet
    shadow_answer: ContainerAnswer


class EndpointRouter:
    def __init__(self, *, account: str, region: str, faults: FaultInjector, seed: int | None = None) -> None:
        self.account = account
        self.region = region
        self._faults = faults
        self._routes: dict[str, Routes] = {}
        self._random = random.Random(seed)
        self._shadow_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="shadow")
        self._backlog = 0
        self._lock = threading.Lock()
        self._listeners: list[Callable[[ShadowResult], None]] = []

    def set_routes(self, endpoint_name: str, routes: Routes) -> None:
        if not isinstance(routes, Routes):
            raise TypeError(f"routes must be a Routes, got {type(routes).__name__}")
        self._routes[endpoint_name] = routes

    def remove(self, endpoint_name: str) -> None:
        self._routes.pop(endpoint_name, None)

    def routes(self, endpoint_name: str) -> Routes | None:
        return self._routes.get(endpoint_name)

    def add_shadow_listener(self, listener: Callable[[ShadowResult], None]) -> None:
        self._listeners.append(listener)

    def invoke(self, invocation: Invocation) -> tuple[Fleet, ContainerAnswer]:
        """The production fleet that answered and its answer; RuntimeApiError when none could."""
        name = invocation.endpoint_name
        for attempt in range(PICK_ATTEMPTS):
            routes = self._routes.get(name)
            if routes is None:
                raise self._not_serving(name)
            fleet = self._pick(name, routes.production, invocation.target_variant)
            answer = fleet.serve(invocation, self._faults.draw(fleet.identities))
            if answer is not None:
                self._mirror(routes.shadows, invocation, fleet, answer)
                return fleet, answer
            if attempt >= 3:  # a control plane mid-change: give it a moment to publish new routes
                time.sleep(0.002)
        raise service_unavailable(f"Endpoint {name} has no instance accepting requests: its fleets are stopping.")

    def _pick(self, name: str, production, target: str | None) -> Fleet:
        candidates = [(f, w) for f, w in production if f.accepting] or list(production)
        if target is not None:
            candidates = [(f, w) for f, w in candidates if f.spec.variant_name == target]
            if not candidates:
                raise validation_error(f"Endpoint {name} of account {self.account} has no production variant "
                                       f"named {target}.")
            if not any(w > 0 for _, w in candidates):  # a variant can be targeted at weight 0
                candidates = [(f, 1.0) for f, _ in candidates]
        total = sum(w for _, w in candidates)
        if not candidates or total <= 0:
            raise service_unavailable(f"Endpoint {name} has no production variant with a positive weight; "
                                      "name a variant with TargetVariant.")
        point = self._random.random() * total
        for fleet, weight in candidates:
            point -= weight
            if point < 0:
                return fleet
        return next(f for f, w in reversed(candidates) if w > 0)  # rounding at the very end

    def _not_serving(self, name: str) -> RuntimeApiError:
        endpoint = sagemaker_backends[self.account][self.region].endpoints.get(name)
        if endpoint is None:
            return validation_error(f"Endpoint {name} of account {self.account} not found.")
        return validation_error(f"Endpoint {name} of account {self.account} is in status {endpoint.endpoint_status} "
                                "and has no instances serving requests.")

    def _mirror(self, shadows, invocation: Invocation, fleet: Fleet, answer: ContainerAnswer) -> None:
        for shadow, fraction in shadows:
            if fraction <= 0 or self._random.random() >= fraction or not shadow.accepting:
                continue
            with self._lock:
                if self._backlog >= MAX_SHADOW_BACKLOG:
                    continue
                self._backlog += 1
            self._shadow_pool.submit(self._shadow_call, shadow, invocation, fleet, answer)

    def _shadow_call(self, shadow: Fleet, invocation: Invocation, fleet: Fleet, answer: ContainerAnswer) -> None:
        try:
            copy = replace(invocation, received=time.perf_counter(), target_variant=None)
            shadow_answer = shadow.serve(copy, self._faults.draw(shadow.identities))
            if shadow_answer is not None:
                result = ShadowResult(invocation.endpoint_name, invocation.event_id, fleet, answer, shadow,
                                      shadow_answer)
                for listener in list(self._listeners):
                    listener(result)
        except Exception:
            LOG.exception("mirroring a request to %r failed", shadow)
        finally:
            with self._lock:
                self._backlog -= 1

    def close(self) -> None:
        self._routes.clear()
        self._shadow_pool.shutdown(wait=False, cancel_futures=True)
