"""CompareShadow: capture files of the window in S3 (moto), ModelLatency percentiles from
CloudWatch (a botocore Stubber: moto computes no percentiles), the verdict in the state
machine's shape."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import boto3
import pytest
from botocore.stub import Stubber

import lambdas.compare_shadow.handler as handler
from tests.lambdas.builders import ARTIFACTS_BUCKET, REGION
from tests.lambdas.deployment_fixtures import fresh_deployment_clients  # noqa: F401

ENDPOINT = "MlopsStack-penguins"
START, END = "2026-11-27T10:58:30.123Z", "2026-11-27T11:03:10.456789+00:00"
THRESHOLDS = {"min_requests": 3, "min_agreement": 0.75, "max_latency_ratio": 2.0}


def _event(**changes) -> dict:
    return {"endpoint_name": ENDPOINT, "production_variant": "AllTraffic", "shadow_variant": "AllTraffic-shadow",
            "start": START, "end": END, "thresholds": THRESHOLDS, **changes}


def _line(event_id: str, label: str, when: str) -> str:
    return json.dumps({
        "captureData": {
            "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "data": "39.1,18.7", "encoding": "CSV"},
            "endpointOutput": {"observedContentType": "application/json", "mode": "OUTPUT",
                               "data": json.dumps({"predictions": [label]}), "encoding": "JSON"}},
        "eventMetadata": {"eventId": event_id, "inferenceTime": when}, "eventVersion": "0"})


@pytest.fixture
def captures(s3, monkeypatch):
    """Four requests inside the window (two hour folders), one before it."""
    monkeypatch.setenv("ARTIFACTS_BUCKET", ARTIFACTS_BUCKET)

    def put(variant: str, hour: str, lines: list[str]) -> None:
        key = f"data-capture/{ENDPOINT}/{variant}/2026/11/27/{hour}/00-000-{variant}.jsonl"
        s3.put_object(Bucket=ARTIFACTS_BUCKET, Key=key, Body="\n".join(lines).encode())

    def answers(labels: list[str]) -> tuple[list[str], list[str]]:
        before = [_line("early", labels[0], "2026-11-27T10:50:00Z")]
        inside = [_line(f"e{i}", label, f"2026-11-27T10:59:0{i}Z") for i, label in enumerate(labels[:2])]
        later = [_line(f"e{i + 2}", label, f"2026-11-27T11:0{i}:00Z") for i, label in enumerate(labels[2:])]
        return before + inside, later

    return put, answers


@pytest.fixture
def latency(aws, monkeypatch):
    client = boto3.client("cloudwatch", region_name=REGION)
    stubber = Stubber(client)
    monkeypatch.setattr(handler, "_cloudwatch", lambda: client)

    def answer(production: tuple[float, float] | None, shadow: tuple[float, float] | None) -> None:
        results = []
        for index, figures in enumerate((production, shadow)):
            for position, stat in enumerate(("p50", "p99")):
                values = [figures[position]] if figures else []
                results.append({"Id": f"v{index}_{stat}", "Label": stat, "StatusCode": "Complete",
                                "Values": values, "Timestamps": [datetime(2026, 11, 27, 10, 58, tzinfo=timezone.utc)]
                                if values else []})
        stubber.add_response("get_metric_data", {"MetricDataResults": results}, _expected_query())

    with stubber:
        yield answer
        stubber.assert_no_pending_responses()


def _expected_query() -> dict:
    def query(index: int, variant: str, stat: str) -> dict:
        return {"Id": f"v{index}_{stat}", "ReturnData": True, "MetricStat": {
            "Metric": {"Namespace": "AWS/SageMaker", "MetricName": "ModelLatency",
                       "Dimensions": [{"Name": "EndpointName", "Value": ENDPOINT},
                                      {"Name": "VariantName", "Value": variant}]},
            "Period": 360, "Stat": stat}}
    # The window 10:58:30..11:03:10 as one period of whole minutes: 10:58..11:04.
    return {"MetricDataQueries": [query(0, "AllTraffic", "p50"), query(0, "AllTraffic", "p99"),
                                  query(1, "AllTraffic-shadow", "p50"), query(1, "AllTraffic-shadow", "p99")],
            "StartTime": datetime(2026, 11, 27, 10, 58, tzinfo=timezone.utc),
            "EndTime": datetime(2026, 11, 27, 11, 4, tzinfo=timezone.utc)}


def _put_both(captures, production: list[str], shadow: list[str]) -> None:
    put, answers = captures
    for variant, labels in (("AllTraffic", production), ("AllTraffic-shadow", shadow)):
        hour10, hour11 = answers(labels)
        put(variant, "10", hour10)
        put(variant, "11", hour11)


def test_a_candidate_that_agrees_and_is_fast_enough_passes(captures, latency, lambda_context):
    _put_both(captures, ["Adelie", "Gentoo", "Adelie", "Chinstrap"], ["Adelie", "Gentoo", "Adelie", "Chinstrap"])
    latency((1000.0, 2000.0), (1200.0, 3000.0))
    result = handler.lambda_handler(_event(), lambda_context)
    assert result["passed"] is True and result["pairs"] == 4 and result["agreement"] == 1.0
    assert result["production_latency"] == {"p50": 1000.0, "p99": 2000.0} and result["latency_ratio"] == 1.5


def test_a_disagreeing_candidate_is_rejected_naming_the_share(captures, latency, lambda_context):
    _put_both(captures, ["Adelie", "Gentoo", "Adelie", "Chinstrap"], ["Gentoo", "Gentoo", "Gentoo", "Chinstrap"])
    latency((1000.0, 2000.0), (1000.0, 2000.0))
    result = handler.lambda_handler(_event(), lambda_context)
    assert result["passed"] is False and result["pairs"] == 4
    assert "agreed with production on 50.00% of predictions, below min_agreement 75.00%" in result["cause"]


def test_requests_outside_the_window_do_not_count(captures, latency, lambda_context):
    put, answers = captures
    for variant in ("AllTraffic", "AllTraffic-shadow"):
        put(variant, "10", answers(["Adelie", "Gentoo"])[0])  # 'early' is before the window
    latency((1000.0, 2000.0), (1000.0, 2000.0))
    result = handler.lambda_handler(_event(), lambda_context)
    assert result["pairs"] == 2 and result["passed"] is False
    assert "only 2 requests were answered by both variants, fewer than min_requests 3" in result["cause"]


def test_a_silent_shadow_variant_is_rejected(captures, latency, lambda_context):
    _put_both(captures, ["Adelie"] * 4, ["Adelie"] * 4)
    latency((1000.0, 2000.0), None)
    result = handler.lambda_handler(_event(), lambda_context)
    assert result["passed"] is False
    assert "no ModelLatency p99 for variant(s) AllTraffic-shadow" in result["cause"]


def test_a_window_that_ends_before_it_starts_is_an_error(aws, lambda_context):
    with pytest.raises(ValueError, match="must end after it starts"):
        handler.lambda_handler(_event(start=END, end=START), lambda_context)
