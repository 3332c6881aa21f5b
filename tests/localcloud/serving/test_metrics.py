"""The runtime's per-request metrics in CloudWatch, as the rollback alarms read them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError
from moto.cloudwatch.models import cloudwatch_backends

from mlops.localcloud.serving import Routes
from tests.localcloud.serving.support import PENGUIN_ROW

ENDPOINT = "metered"
CONFIG = "metered-config"


@pytest.fixture(scope="module")
def served(cloud, models):
    """3 answers, 1 client error (415) and 1 server error (an injected 500), all through boto3."""
    from mlops.localcloud.serving import FleetSpec
    from tests.localcloud.serving.conftest import runtime_client

    fleet = cloud.fleets.start_fleet(FleetSpec(ENDPOINT, CONFIG, "AllTraffic", models.linear, "ml.m5.large", 1, None))
    cloud.router.set_routes(ENDPOINT, Routes(((fleet, 1.0),)))
    runtime = runtime_client(cloud)
    started = datetime.now(timezone.utc)
    for _ in range(3):
        runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=PENGUIN_ROW, ContentType="text/csv")["Body"].read()
    with pytest.raises(ClientError):
        runtime.invoke_endpoint(EndpointName=ENDPOINT, Body="x", ContentType="text/plain")
    cloud.faults.inject(models.linear, latency_ms=50)
    try:
        with pytest.raises(ClientError):
            runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=PENGUIN_ROW, ContentType="text/csv")
    finally:
        cloud.faults.clear()
    cloud.router.remove(ENDPOINT)
    fleet.close()
    cloud.fleets.flush()
    return started


def _statistics(cloud, started, name: str, statistics: list[str]) -> dict:
    points = cloud.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/SageMaker", MetricName=name, StartTime=started - timedelta(minutes=1),
        EndTime=started + timedelta(minutes=5), Period=3600, Statistics=statistics,
        Dimensions=[{"Name": "EndpointName", "Value": ENDPOINT}, {"Name": "VariantName", "Value": "AllTraffic"},
                    {"Name": "EndpointConfigName", "Value": CONFIG}])["Datapoints"]
    assert len(points) == 1, points
    return points[0]


@pytest.mark.parametrize("name, total", [("Invocations", 5), ("Invocation4XXErrors", 1), ("Invocation5XXErrors", 1)])
def test_counts_per_request(cloud, served, name, total):
    point = _statistics(cloud, served, name, ["Sum", "SampleCount"])
    assert (point["Sum"], point["SampleCount"], point["Unit"]) == (total, 5, "Count")


def test_latencies_in_microseconds(cloud, served):
    model = _statistics(cloud, served, "ModelLatency", ["Maximum", "Minimum", "SampleCount"])
    overhead = _statistics(cloud, served, "OverheadLatency", ["Minimum", "SampleCount"])
    assert model["Unit"] == overhead["Unit"] == "Microseconds"
    assert model["SampleCount"] == overhead["SampleCount"] == 5
    assert model["Maximum"] >= 50_000  # the injected 50 ms sleep is the container's time
    assert model["Minimum"] > 0 and overhead["Minimum"] >= 0


def test_both_dimension_sets_are_put(cloud, served):
    listed = cloud.client("cloudwatch").list_metrics(Namespace="AWS/SageMaker", MetricName="Invocations",
                                                     Dimensions=[{"Name": "EndpointName", "Value": ENDPOINT}])
    sets = {frozenset((d["Name"], d["Value"]) for d in m["Dimensions"]) for m in listed["Metrics"]}
    endpoint_variant = {("EndpointName", ENDPOINT), ("VariantName", "AllTraffic")}
    assert sets == {frozenset(endpoint_variant), frozenset(endpoint_variant | {("EndpointConfigName", CONFIG)})}
    # moto's GetMetricStatistics matches dimension subsets; CloudWatch (and the alarm evaluator)
    # match the exact set: count the datums of exactly {EndpointName, VariantName}.
    data = cloudwatch_backends[cloud.account][cloud.region].metric_data
    exact = [d for d in data if d.name == "Invocations"
             and {(x.name, x.value) for x in d.dimensions} == endpoint_variant]
    assert sum(d.value for d in exact) == 5


def test_datapoints_carry_the_time_they_were_served(cloud, served):
    data = cloudwatch_backends[cloud.account][cloud.region].metric_data
    ours = [d for d in data if any(x.value == ENDPOINT for x in d.dimensions)]
    started = served.replace(tzinfo=None, microsecond=0)
    assert all(started <= d.timestamp <= started + timedelta(minutes=2) for d in ours)
