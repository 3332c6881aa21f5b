"""GetMetricStatistics and GetMetricData answer as CloudWatch does: each dimension set is its
own metric, and percentiles come from the values put."""

from __future__ import annotations

import datetime
import uuid

import pytest

WINDOW = datetime.timedelta(seconds=30)


@pytest.fixture
def put(cw):
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    endpoint = f"e-{uuid.uuid4().hex[:8]}"
    variant = [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}]
    fleet = variant + [{"Name": "EndpointConfigName", "Value": "config-2"}]
    cw.put_metric_data(Namespace="AWS/SageMaker", MetricData=[
        {"MetricName": "ModelLatency", "Dimensions": variant, "Values": [float(v) for v in range(1, 101)],
         "Timestamp": now},
        {"MetricName": "ModelLatency", "Dimensions": fleet, "Values": [5000.0], "Timestamp": now},
    ])
    return now, variant, fleet


def test_statistics_count_only_the_exact_dimension_set(cw, put):
    now, variant, fleet = put
    for dimensions, expected in ((variant, (100.0, 100.0)), (fleet, (1.0, 5000.0))):
        [point] = cw.get_metric_statistics(
            Namespace="AWS/SageMaker", MetricName="ModelLatency", Dimensions=dimensions, Period=60,
            Statistics=["SampleCount", "Maximum"], StartTime=now - WINDOW, EndTime=now + WINDOW)["Datapoints"]
        assert (point["SampleCount"], point["Maximum"]) == expected
    assert cw.get_metric_statistics(Namespace="AWS/SageMaker", MetricName="ModelLatency", Period=60,
                                    Statistics=["Sum"], StartTime=now - WINDOW, EndTime=now + WINDOW)["Datapoints"] == []


def test_metric_data_answers_percentiles(cw, put):
    now, variant, _ = put
    queries = [{"Id": stat.replace(".", "_"), "MetricStat": {
        "Metric": {"Namespace": "AWS/SageMaker", "MetricName": "ModelLatency", "Dimensions": variant},
        "Period": 60, "Stat": stat}} for stat in ("p50", "p99", "p99.9", "Average")]
    results = cw.get_metric_data(MetricDataQueries=queries, StartTime=now - WINDOW, EndTime=now + WINDOW)
    values = {r["Id"]: r["Values"] for r in results["MetricDataResults"]}
    assert values == {"p50": [50.0], "p99": [99.0], "p99_9": [100.0], "Average": [50.5]}
