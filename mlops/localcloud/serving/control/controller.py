"""The endpoint control plane of the embedded cloud (`cloud.endpoints`).

moto's SageMaker API calls in here (see `api`), on moto's request thread: each call checks the
request, changes the endpoint's status at once (so the next DescribeEndpoint sees `Creating` or
`Updating`) and hands the slow part to the endpoint's worker thread (`Deployer`), never
holding the request thread while fleets start or bake times pass.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError

from mlops.localcloud.serving.control import api, endpoint_requests
from mlops.localcloud.serving.control.clock import Clock
from mlops.localcloud.serving.control.deployer import Deployer, Stopped
from mlops.localcloud.serving.control.events import endpoint_event
from mlops.localcloud.serving.control.fleets import build_deployment
from mlops.localcloud.serving.control.history import TrafficHistory, TrafficStep
from mlops.localcloud.serving.control.rescale import rescale
from mlops.localcloud.serving.control.routing import fleet_weights, routes_for, shadow_weights
from mlops.localcloud.serving.control.state import IN_PROGRESS, EndpointState

LOG = logging.getLogger(__name__)
JOIN_SECONDS = 5.0


class EndpointController:
    def __init__(self, *, fleets, router, deliver: Callable[[str, str, dict], None] | None = None,
                 clock: Clock | None = None) -> None:
        self._router = router
        self._deliver = deliver  # (account, region, event): EventBridge delivery
        self._states: dict[tuple[str, str, str], EndpointState] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.traffic = TrafficHistory()
        self._deployer = Deployer(fleets=fleets, router=router, record_step=self._record_step,
                                  notify=self._notify, clock=clock)

    def history(self, name: str) -> list[TrafficStep]:
        """Every traffic change of endpoint `name` since it was (last) created, oldest first."""
        return self.traffic.of(name)

    def state(self, backend, name: str) -> EndpointState | None:
        with self._lock:
            return self._states.get((backend.account_id, backend.region_name, name))

    def created(self, backend, record, deployment_config: dict | None) -> None:
        """CreateEndpoint after moto stored `record`: `Creating` now, fleets in the background."""
        config = backend.describe_endpoint_config(record.endpoint_config_name)
        state = EndpointState(record=record, account=backend.account_id, region=backend.region_name,
                              active=build_deployment(backend, endpoint_name=record.endpoint_name, config=config),
                              deployment_config=deployment_config)
        state.set_status("Creating")
        for variant in state.active.variants:
            variant.set_status("Creating", f"Launching {variant.spec.instance_count} instance(s).")
        with self._lock:
            self._states[(state.account, state.region, state.name)] = state
        self.traffic.start(state.name)
        self._run(state, self._deployer.create, state)

    def update(self, backend, name: str, **request) -> str:
        state = self._existing(backend, name)
        with state.lock:
            update = endpoint_requests.plan_update(backend, state, **request)
            state.begin_update(update.green, update.deployment_config)
        self._run(state, self._deployer.update, state, update.green, update.plan)
        return state.arn

    def update_weights_and_capacities(self, backend, name: str, desired: list[dict]) -> str:
        state = self._existing(backend, name)
        with state.lock:
            weights, counts = endpoint_requests.check_weights_and_capacities(state, desired)
            state.set_status("Updating")
        self._run(state, rescale, self._deployer, state, weights, counts)
        return state.arn

    def delete(self, backend, name: str) -> None:
        """DeleteEndpoint: no new requests at once; the fleets drain and close in the background."""
        state = self._existing(backend, name)
        with state.lock:
            if state.status in IN_PROGRESS:
                raise ValidationError(f'Cannot update in-progress endpoint "{state.arn}".')
            state.set_status("Deleting")
        with self._lock:
            self._states.pop((state.account, state.region, name), None)
        self._router.remove(name)
        threading.Thread(target=self._deployer.close, args=(state.active,), daemon=True,
                         name=f"endpoint-delete-{name}").start()

    def describe(self, backend, name: str) -> dict:
        return self._existing(backend, name).describe()

    def close(self) -> None:
        """Stop every worker and close every fleet (the embedded cloud is stopping)."""
        api.release(self)
        with self._lock:
            self._closed = True
            states = list(self._states.values())
        for state in states:
            state.stop.set()
        for state in states:
            if state.worker is not None:
                state.worker.join(JOIN_SECONDS)
            self._close_fleets(state)
            self._router.remove(state.name)

    def _existing(self, backend, name: str) -> EndpointState:
        state = self.state(backend, name)
        if state is None:
            raise endpoint_requests.endpoint_not_found(backend, name)
        return state

    def _run(self, state: EndpointState, work, *args) -> None:
        def run() -> None:
            try:
                work(*args)
            except Stopped:
                self._close_fleets(state)
            except Exception as exc:  # a bug must not leave the endpoint Updating for ever
                LOG.exception("endpoint %s: the control plane failed", state.name)
                self._recover(state, f"InternalFailure: the embedded cloud's control plane failed: {exc}")
        state.worker = threading.Thread(target=run, daemon=True, name=f"endpoint-{state.name}")
        state.worker.start()

    def _recover(self, state: EndpointState, failure: str) -> None:
        """After a crash: a new endpoint fails; an updated one goes back to its active config."""
        with state.lock:
            creating = state.status == "Creating"
        if not creating:
            self._router.set_routes(state.name, routes_for(state.active, None, 0.0))
        self._close_fleets(state, pending_only=not creating)
        with state.lock:
            state.pending = None
            state.set_status("Failed" if creating else "InService", failure=failure)

    def _close_fleets(self, state: EndpointState, *, pending_only: bool = False) -> None:
        with state.lock:
            deployments = [state.pending] if pending_only else [state.pending, state.active]
        for deployment in deployments:
            if deployment is not None:
                self._deployer.close(deployment)

    def _record_step(self, state: EndpointState, routes, config_name: str, reason: str, alarm: str | None) -> None:
        self.traffic.add(state.name, TrafficStep(
            time=utcnow(), endpoint_config_name=config_name, weights=fleet_weights(routes), reason=reason,
            alarm=alarm, shadows=shadow_weights(routes),
        ))

    def _notify(self, state: EndpointState, detail_type: str) -> None:
        if self._deliver is None or self._closed:
            return
        event = endpoint_event(detail_type, state.describe(), tags=state.record.tags,
                               account=state.account, region=state.region)
        try:
            self._deliver(state.account, state.region, event)
        except Exception:  # an event that cannot be delivered must not stop a deployment
            LOG.exception("endpoint %s: could not deliver %s", state.name, detail_type)
