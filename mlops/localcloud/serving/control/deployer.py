"""The work behind CreateEndpoint and UpdateEndpoint, run in the endpoint's worker thread.

Create: start every variant's fleet, route, `InService` (or `Failed`, naming the cause).
Update (blue/green): start the green fleets (a start failure -> back to `InService` on the old
config with the cause as FailureReason), then shift traffic step by step per the plan, baking
after each step and during TerminationWaitInSeconds while watching the rollback alarms at
least twice a second. An alarm in ALARM -> `RollingBack`: all traffic back to blue at once,
green closed, `InService` on the old config with no FailureReason, as AWS shows it. Past
MaximumExecutionTimeoutInSeconds the same rollback runs, naming the timeout. Otherwise the blue
fleets are closed (they drain what is in flight) and the endpoint is `InService` on the new
config. Routes change atomically in the router, so no request is dropped by a shift.
"""

from __future__ import annotations

import logging

from mlops.localcloud.serving import FleetStartError
from mlops.localcloud.serving.control.alarms import AlarmWatch
from mlops.localcloud.serving.control.clock import Clock
from mlops.localcloud.serving.control.events import DEPLOYMENT_STATE, ENDPOINT_STATE
from mlops.localcloud.serving.control.fleets import ConfigDeployment
from mlops.localcloud.serving.control.plan import DeploymentPlan, TrafficShift
from mlops.localcloud.serving.control.routing import routes_for, show_traffic
from mlops.localcloud.serving.control.state import EndpointState

LOG = logging.getLogger(__name__)
POLL_SECONDS = 0.5  # how often a bake checks the alarms


class Stopped(Exception):
    """The embedded cloud is stopping: leave the endpoint as it is."""


class Deployer:
    def __init__(self, *, fleets, router, record_step, notify, clock: Clock | None = None) -> None:
        self._fleets, self._router = fleets, router
        self._record_step = record_step  # (state, routes, config_name, reason, alarm) -> None
        self.notify = notify             # (state, detail_type) -> None
        self._clock = clock or Clock()

    def create(self, state: EndpointState) -> None:
        self.notify(state, ENDPOINT_STATE)
        deployment = state.active
        try:
            self._start(state, deployment, events=False)
        except FleetStartError as exc:
            self.close(deployment)
            with state.lock:
                for variant in deployment.variants:
                    variant.set_status(None)
                state.set_status("Failed", failure=str(exc))
            self.notify(state, ENDPOINT_STATE)
            return
        self.route(state, deployment, None, 0.0, reason="create", config_name=deployment.config_name)
        with state.lock:
            state.set_status("InService")
        self.notify(state, ENDPOINT_STATE)

    def update(self, state: EndpointState, green: ConfigDeployment, plan: DeploymentPlan) -> None:
        self.notify(state, ENDPOINT_STATE)
        deadline = self._clock.now() + plan.timeout if plan.timeout else None
        try:
            self._start(state, green, events=True)
        except FleetStartError as exc:
            self.close(green)
            with state.lock:
                state.pending = None
                state.set_status("InService", failure=str(exc))
            self.notify(state, ENDPOINT_STATE)
            return
        blue, alarms = state.active, AlarmWatch(state.account, state.region)
        for index, shift in enumerate(plan.shifts):
            if deadline is not None and self._clock.now() >= deadline:  # e.g. green took that long to start
                return self._roll_back(state, blue, green, "timeout", None, plan=plan)
            last = index == len(plan.shifts) - 1
            self._activate(state, blue, green, shift)
            seconds = plan.termination_wait if last else shift.bake_seconds
            wait_name = "TerminationWaitInSeconds" if last else "WaitIntervalInSeconds"
            self._set_green_status(state, green, "Baking", f"Baking for {seconds} seconds ({wait_name}) with "
                                   f"traffic enabled on {_capacity(shift)}.")
            outcome = self._bake(state, seconds, plan.alarms, alarms, deadline)
            if outcome is not None:
                return self._roll_back(state, blue, green, *outcome, plan=plan)
        self._finish(state, blue, green)

    def _start(self, state: EndpointState, deployment: ConfigDeployment, *, events: bool) -> None:
        for variant in deployment.variants:
            if state.stop.is_set():
                raise Stopped
            with state.lock:
                variant.set_status("Creating", f"Launching {variant.spec.instance_count} instance(s).")
            if events:
                self.notify(state, DEPLOYMENT_STATE)
            fleet = self.start_fleet(state, variant.spec)
            with state.lock:
                variant.fleet = fleet

    def start_fleet(self, state: EndpointState, spec):
        try:
            fleet = self._fleets.start_fleet(spec)
        except FleetStartError:
            raise
        except Exception as exc:  # the endpoint must always reach a settled status
            LOG.exception("fleet of %s/%s crashed while starting", state.name, spec.variant_name)
            raise FleetStartError(f"InternalFailure: the embedded cloud could not start variant "
                                  f"'{spec.variant_name}': {exc}") from exc
        if state.stop.is_set():
            fleet.close()
            raise Stopped
        return fleet

    def _activate(self, state, blue, green, shift: TrafficShift) -> None:
        self._set_green_status(state, green, "ActivatingTraffic", f"Activating traffic on {_capacity(shift)}.")
        self.route(state, blue, green, shift.fraction, reason=shift.reason, config_name=green.config_name,
                    green_instances=shift.instances)

    def route(self, state, blue, green, share: float, *, reason: str, config_name: str,
               green_instances: int | None = None, alarm: str | None = None) -> None:
        routes = routes_for(blue, green, share)
        self._router.set_routes(state.name, routes)
        with state.lock:
            show_traffic(blue, green, share, green_instances)
        self._record_step(state, routes, config_name, reason, alarm)

    def _bake(self, state, seconds: float, names, alarms: AlarmWatch, deadline) -> tuple[str, str | None] | None:
        """Watch the alarms for `seconds`: ("alarm", name), ("timeout", None), or None when quiet."""
        end = self._clock.now() + seconds
        while True:
            if state.stop.is_set():
                raise Stopped
            fired = alarms.first_in_alarm(names)
            if fired:
                return "alarm", fired
            now = self._clock.now()
            if deadline is not None and now >= deadline:
                return "timeout", None
            if now >= end:
                return None
            limit = end if deadline is None else min(end, deadline)
            self._clock.sleep(min(POLL_SECONDS, limit - now), state.stop)

    def _roll_back(self, state, blue, green, cause: str, alarm: str | None, *, plan: DeploymentPlan) -> None:
        failure = None
        if cause == "timeout":
            failure = (f"The deployment of endpoint configuration '{green.config_name}' did not complete within "
                       f"MaximumExecutionTimeoutInSeconds ({plan.timeout} seconds); traffic was rolled back to "
                       f"'{blue.config_name}'.")
        with state.lock:
            state.set_status("RollingBack")
        self.notify(state, ENDPOINT_STATE)
        reason = f"rollback: alarm {alarm}" if alarm else "rollback: MaximumExecutionTimeoutInSeconds"
        self.route(state, blue, None, 0.0, reason=reason, config_name=blue.config_name, alarm=alarm)
        self.close(green)
        with state.lock:
            state.pending = None
            state.set_status("InService", failure=failure)
        self.notify(state, ENDPOINT_STATE)

    def _finish(self, state, blue: ConfigDeployment, green: ConfigDeployment) -> None:
        with state.lock:
            for variant in blue.variants:
                variant.set_status("Deleting", f"Terminating {variant.spec.instance_count} instance(s).")
        self.notify(state, DEPLOYMENT_STATE)
        self.close(blue)
        with state.lock:
            for variant in green.variants:
                variant.set_status(None)
            state.active, state.pending = green, None
            state.record.endpoint_config_name = green.config_name
            state.set_status("InService")
        self.notify(state, ENDPOINT_STATE)

    def _set_green_status(self, state, green: ConfigDeployment, status: str, message: str) -> None:
        with state.lock:
            for variant in green.variants:
                variant.set_status(status, message)
        self.notify(state, DEPLOYMENT_STATE)

    @staticmethod
    def close(deployment: ConfigDeployment) -> None:
        """Close every started fleet of `deployment` (each drains its in-flight requests)."""
        for variant in deployment.variants:
            fleet, variant.fleet = variant.fleet, None
            if fleet is not None:
                try:
                    fleet.close()
                except Exception:  # one fleet failing to close must not keep the others running
                    LOG.exception("closing the fleet of %s failed", variant.name)


def _capacity(shift: TrafficShift) -> str:
    if shift.capacity == "full":
        return f"full capacity of {shift.instances} instance(s)"
    if shift.capacity == "canary":
        return f"canary capacity of {shift.instances} instance(s)"
    return f"{shift.instances} instance(s) ({round(shift.fraction * 100)}% of the traffic)"
