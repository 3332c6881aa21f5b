"""CompareShadow: the shadow test's verdict after the candidate has shadowed production for
the test window (mlops_core.shadow_comparison decides).

Input (from the deployment state machine): `{"endpoint_name", "production_variant",
"shadow_variant", "start", "end"` (ISO times of the window), `"thresholds": {"min_requests",
"min_agreement", "max_latency_ratio"}}`. Output: `{"passed", "cause", "pairs", "agreement",
"production_latency": {"p50", "p99"}, "shadow_latency": {...}, "latency_ratio"}` (latencies in
microseconds); a rejection is a result (`passed: false`, the cause naming the numbers).

Reads both variants' capture files of the window from the artifacts bucket (keys
`data-capture/<endpoint>/<variant>/yyyy/mm/dd/hh/...`) and their ModelLatency p50/p99 from
CloudWatch (dimensions EndpointName, VariantName).

Environment: ARTIFACTS_BUCKET.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from mlops_core.data_capture import CapturedAnswer, hour_prefixes, parse_line, parse_time
from mlops_core.shadow_comparison import Latency, judge

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "compare-shadow")
logger = Logger(service=SERVICE)
tracer = Tracer(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "ServerlessMlops"), service=SERVICE)

# Bounds memory: a sample this large judges agreement as well as the whole window would.
MAX_ANSWERS_PER_VARIANT = 100_000


@cache
def _s3() -> Any:
    return boto3.client("s3")


@cache
def _cloudwatch() -> Any:
    return boto3.client("cloudwatch")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    endpoint = event["endpoint_name"]
    production, shadow = event["production_variant"], event["shadow_variant"]
    start, end = parse_time(event["start"]), parse_time(event["end"])
    if end <= start:
        raise ValueError(f"the shadow window must end after it starts: {event['start']} .. {event['end']}")
    logger.append_keys(endpoint=endpoint)
    latency = _latencies(endpoint, (production, shadow), start, end)
    verdict = judge(production=list(_answers(endpoint, production, start, end)),
                    shadow=list(_answers(endpoint, shadow, start, end)),
                    production_latency=latency[production], shadow_latency=latency[shadow],
                    thresholds=event["thresholds"], variants=(production, shadow))
    (logger.info if verdict.passed else logger.warning)(verdict.cause)
    metrics.add_metric(name="ShadowPassed" if verdict.passed else "ShadowRejected", unit=MetricUnit.Count, value=1)
    return verdict.to_dict()


def _answers(endpoint: str, variant: str, start: datetime, end: datetime) -> Iterator[CapturedAnswer]:
    bucket, count = os.environ["ARTIFACTS_BUCKET"], 0
    for prefix in hour_prefixes(endpoint, variant, start, end):
        for page in _s3().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                body = _s3().get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode("utf-8")
                for line in body.splitlines():
                    if not line.strip():
                        continue
                    try:
                        answer = parse_line(line)
                    except ValueError as error:
                        logger.warning("Unreadable capture line skipped", extra={"key": item["Key"], "error": str(error)})
                        continue
                    if start <= answer.inference_time <= end:
                        yield answer
                        count += 1
                        if count >= MAX_ANSWERS_PER_VARIANT:
                            logger.info("Capture sample limit reached", extra={"variant": variant, "limit": count})
                            return


def _latencies(endpoint: str, variants: tuple[str, str], start: datetime, end: datetime) -> dict[str, Latency]:
    """ModelLatency p50 and p99 of each variant over the window, as one period (whole minutes)."""
    first = start.replace(second=0, microsecond=0)
    period = max(60, math.ceil((end - first).total_seconds() / 60) * 60)
    queries = [{"Id": f"v{index}_{stat}", "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": "AWS/SageMaker", "MetricName": "ModelLatency",
                   "Dimensions": [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": variant}]},
        "Period": period, "Stat": stat}} for index, variant in enumerate(variants) for stat in ("p50", "p99")]
    response = _cloudwatch().get_metric_data(MetricDataQueries=queries, StartTime=first,
                                             EndTime=first + timedelta(seconds=period))
    values = {result["Id"]: (result["Values"][0] if result.get("Values") else None)
              for result in response["MetricDataResults"]}
    return {variant: Latency(values.get(f"v{index}_p50"), values.get(f"v{index}_p99"))
            for index, variant in enumerate(variants)}
