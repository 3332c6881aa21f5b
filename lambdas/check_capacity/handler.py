"""CheckCapacity: is there SageMaker endpoint instance quota for the blue/green update the
deployment is about to start? (mlops_core.endpoint_capacity decides.)

Input (from the deployment state machine): `{"endpoint_name", "instance_type",
"instance_count", "shadow": bool}`. Output: `{"sufficient", "cause", "checks": [{"quota_name",
"quota", "origin", "in_use", "needed"}], "warnings"}`; not enough quota is a result
(`sufficient: false`, the cause naming quota, value, in use and needed), never an exception.

Quotas come from Service Quotas (`<instance type> for endpoint usage`, the applied value, else
AWS's default); instances in use from every endpoint of the account and region. A quota that
cannot be found is a logged warning: the update is tried and SageMaker decides.

Environment: none besides the Powertools ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from mlops_core.endpoint_capacity import SERVICE_CODE, Fleet, judge, quota_name, update_steps

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "check-capacity")
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "ServerlessMlops"), service=SERVICE)

# Endpoints in these states hold no instances.
_WITHOUT_INSTANCES = ("Failed", "Deleting", "OutOfService")


@cache
def _sagemaker() -> Any:
    return boto3.client("sagemaker")


@cache
def _quotas() -> Any:
    return boto3.client("service-quotas")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    endpoint, instance_type = event["endpoint_name"], event["instance_type"]
    logger.append_keys(endpoint=endpoint)
    fleets = list(_fleets())
    steps = update_steps(endpoint=endpoint, instance_type=instance_type, instance_count=int(event["instance_count"]),
                         shadow=bool(event.get("shadow")), fleets=fleets)
    types = sorted({t for step in steps for t in step})
    verdict = judge(endpoint=endpoint, steps=steps, fleets=fleets, quotas=_quota_values(types))
    for warning in verdict.warnings:
        logger.warning(warning)
    if verdict.sufficient:
        logger.info("Endpoint quota suffices", extra={"checks": verdict.checks})
    else:
        logger.warning("Endpoint quota is short", extra={"cause": verdict.cause})
        metrics.add_metric(name="InsufficientEndpointQuota", unit=MetricUnit.Count, value=1)
    return verdict.to_dict()


def _quota_values(instance_types: list[str]) -> dict[str, tuple[float, str] | None]:
    """instance type -> (value, "applied"|"default"): the account's applied quotas first, AWS's
    defaults for the rest (ListServiceQuotas may list only quotas that were changed)."""
    wanted = {quota_name(t): t for t in instance_types}
    found: dict[str, tuple[float, str] | None] = dict.fromkeys(instance_types)
    for operation, origin in (("list_service_quotas", "applied"), ("list_aws_default_service_quotas", "default")):
        missing = {name for name, t in wanted.items() if found[t] is None}
        if not missing:
            break
        for quota in _paginate(_quotas(), operation, "Quotas", ServiceCode=SERVICE_CODE):
            if quota.get("QuotaName") in missing and found[wanted[quota["QuotaName"]]] is None:
                found[wanted[quota["QuotaName"]]] = (float(quota["Value"]), origin)
    return found


def _fleets() -> Iterator[Fleet]:
    """Every instance-backed variant of every endpoint, including fleets an update is bringing up."""
    for summary in _paginate(_sagemaker(), "list_endpoints", "Endpoints"):
        if summary.get("EndpointStatus") in _WITHOUT_INSTANCES:
            continue
        name = summary["EndpointName"]
        try:
            endpoint = _sagemaker().describe_endpoint(EndpointName=name)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ValidationException":
                continue  # deleted since it was listed
            raise
        yield from _endpoint_fleets(endpoint)


def _endpoint_fleets(endpoint: dict[str, Any]) -> Iterator[Fleet]:
    name = endpoint["EndpointName"]
    variants = endpoint.get("ProductionVariants", []) + endpoint.get("ShadowProductionVariants", [])
    if variants:
        types = _config_instance_types(endpoint["EndpointConfigName"])
        for variant in variants:
            count = variant.get("CurrentInstanceCount", variant.get("DesiredInstanceCount")) or 0
            if variant["VariantName"] in types and count:
                yield Fleet(name, variant["VariantName"], types[variant["VariantName"]], int(count))
    pending = endpoint.get("PendingDeploymentSummary") or {}
    for variant in pending.get("ProductionVariants", []) + pending.get("ShadowProductionVariants", []):
        count = variant.get("CurrentInstanceCount", variant.get("DesiredInstanceCount")) or 0
        if variant.get("InstanceType") and count:
            yield Fleet(name, variant["VariantName"], variant["InstanceType"], int(count))


def _config_instance_types(config_name: str) -> dict[str, str]:
    """Variant name -> instance type (DescribeEndpoint does not show it); serverless variants have none."""
    config = _sagemaker().describe_endpoint_config(EndpointConfigName=config_name)
    variants = config.get("ProductionVariants", []) + config.get("ShadowProductionVariants", [])
    return {v["VariantName"]: v["InstanceType"] for v in variants if v.get("InstanceType")}


def _paginate(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])
