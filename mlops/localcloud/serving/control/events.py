"""The endpoint events SageMaker sends to EventBridge, which moto does not send.

AWS documents two (docs: "Events that Amazon SageMaker AI sends to Amazon EventBridge"):
`SageMaker Endpoint State Change` when the endpoint's status changes, and
`SageMaker Endpoint Deployment State Change` while a deployment runs (each variant status
change: Creating, ActivatingTraffic, Baking, ...). Their detail is the endpoint as
DescribeEndpoint shows it, with the status in upper snake case (`IN_SERVICE`, `UPDATING`),
timestamps in epoch milliseconds and the tags as an object, as in AWS's examples.
"""

from __future__ import annotations

import datetime
import re

from mlops.localcloud.event_shapes import service_event

SOURCE = "aws.sagemaker"
ENDPOINT_STATE = "SageMaker Endpoint State Change"
DEPLOYMENT_STATE = "SageMaker Endpoint Deployment State Change"


def endpoint_event(detail_type: str, description: dict, *, tags: list[dict], account: str, region: str) -> dict:
    """The event for DescribeEndpoint's answer `description`."""
    detail = _millis(dict(description))
    detail["EndpointStatus"] = upper_snake(description["EndpointStatus"])
    detail["Tags"] = {t["Key"]: t["Value"] for t in tags or []}
    return service_event(source=SOURCE, detail_type=detail_type, account=account, region=region,
                         resources=[description["EndpointArn"]], detail=detail)


def upper_snake(status: str) -> str:
    """`InService` -> `IN_SERVICE`, as the events spell endpoint statuses."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", status).upper()


def _millis(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:  # moto keeps naive UTC
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: _millis(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_millis(v) for v in value]
    return value
