"""The SageMaker runtime data plane of the embedded cloud: fleets serving models, routing, metrics,
data capture and fault injection.

The endpoint control plane (`serving.control`) starts fleets with `FleetHost.start_fleet` and
publishes each endpoint's `Routes` to the `EndpointRouter`; the runtime API (`front`) serves
`POST /endpoints/<name>/invocations` in front of moto.
"""

from mlops.localcloud.serving.faults import FaultInjector
from mlops.localcloud.serving.fleet import Fleet
from mlops.localcloud.serving.fleet_host import FleetHost
from mlops.localcloud.serving.keepalive import mount_runtime
from mlops.localcloud.serving.router import EndpointRouter, Routes, ShadowResult
from mlops.localcloud.serving.spec import FleetSpec, FleetStartError

__all__ = ["EndpointRouter", "FaultInjector", "Fleet", "FleetHost", "FleetSpec", "FleetStartError", "Routes",
           "ShadowResult", "mount_runtime"]
