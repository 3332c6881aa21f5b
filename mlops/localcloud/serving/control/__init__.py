"""The SageMaker endpoint control plane of the embedded cloud.

CreateEndpoint, UpdateEndpoint (blue/green: canary, linear, all at once, with bake times and
alarm-driven rollback), UpdateEndpointWeightsAndCapacities, DeleteEndpoint and DescribeEndpoint
as SageMaker runs them, on real fleets of the data plane (`mlops.localcloud.serving`).
`api` patches moto; `endpoint_requests` and `plan` check requests; `fleets` and `state` hold
what DescribeEndpoint shows; `deployer` and `rescale` do the work; `routing` builds the
router's table; `history` keeps every traffic step; `events` are the EventBridge events
SageMaker sends.
"""

from mlops.localcloud.serving.control.api import install
from mlops.localcloud.serving.control.controller import EndpointController
from mlops.localcloud.serving.control.history import TrafficStep

__all__ = ["EndpointController", "TrafficStep", "install"]
