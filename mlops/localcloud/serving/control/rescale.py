"""UpdateEndpointWeightsAndCapacities, run for real: new weights go to the router at once, a
new instance count starts a fleet of that size, which takes over from the old one (which
drains what is in flight). A fleet that cannot start leaves the endpoint `InService` as it was,
naming the cause in FailureReason."""

from __future__ import annotations

from dataclasses import replace

from mlops.localcloud.serving import FleetStartError
from mlops.localcloud.serving.control.events import DEPLOYMENT_STATE, ENDPOINT_STATE
from mlops.localcloud.serving.control.state import EndpointState


def rescale(deployer, state: EndpointState, weights: dict[str, float], counts: dict[str, int]) -> None:
    deployer.notify(state, ENDPOINT_STATE)
    active, started = state.active, {}
    try:
        for name, count in counts.items():
            variant = active.variant(name)
            direction = "out" if count > variant.spec.instance_count else "in"
            with state.lock:
                variant.set_status("Updating", f"Scaling {direction} desired instance count to {count}.")
            deployer.notify(state, DEPLOYMENT_STATE)
            spec = replace(variant.spec, instance_count=count)
            started[name] = (spec, deployer.start_fleet(state, spec))
    except FleetStartError as exc:
        for _, fleet in started.values():
            fleet.close()
        with state.lock:
            for variant in active.variants:
                variant.set_status(None)
            state.set_status("InService", failure=str(exc))
        deployer.notify(state, ENDPOINT_STATE)
        return
    replaced = []
    with state.lock:
        for name, weight in weights.items():
            active.variant(name).weight = weight
        for name, (spec, fleet) in started.items():
            variant = active.variant(name)
            replaced.append(variant.fleet)
            variant.fleet, variant.spec = fleet, spec
    deployer.route(state, active, None, 0.0, reason="weights and capacities", config_name=active.config_name)
    for fleet in replaced:
        if fleet is not None:
            fleet.close()
    with state.lock:
        for variant in active.variants:
            variant.set_status(None)
        state.set_status("InService")
    deployer.notify(state, ENDPOINT_STATE)
