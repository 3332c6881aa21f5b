"""The CloudWatch datapoints of a check, in Model Monitor's namespaces and names.

Data quality: namespace `aws/sagemaker/Endpoints/data-metrics`, `feature_baseline_drift_<feature>`
(the distance) per feature and `drifted_feature_share`; model quality:
`aws/sagemaker/Endpoints/model-metrics`, the metrics and `labelled_records`. Dimensions
`Endpoint` and `MonitoringSchedule`, timestamp = the window's end (the alarm's period is the
schedule's, so each check lands in its own period).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import Any

DATA_METRICS_NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
MODEL_METRICS_NAMESPACE = "aws/sagemaker/Endpoints/model-metrics"
DRIFT_PREFIX = "feature_baseline_drift_"
DRIFTED_SHARE = "drifted_feature_share"
LABELLED_RECORDS = "labelled_records"
METRIC_NAME_MAX = 255  # CloudWatch MetricName: 1..255 characters
PUT_BATCH = 1000  # PutMetricData takes at most 1000 datapoints per request
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]+")


def drift_metric_name(feature: str) -> str:
    """`feature_baseline_drift_<feature>`, folded to printable ASCII and cut to 255 characters
    (CloudWatch's rules for a metric name); accents fold ('größe' -> 'groe'), other characters
    become '_'."""
    folded = unicodedata.normalize("NFKD", feature).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNPRINTABLE.sub("_", folded) or "_"
    return (DRIFT_PREFIX + cleaned)[:METRIC_NAME_MAX]


def dimensions(endpoint: str, schedule: str) -> list[dict[str, str]]:
    return [{"Name": "Endpoint", "Value": endpoint}, {"Name": "MonitoringSchedule", "Value": schedule}]


def drift_metric_data(distances: dict[str, float], drifted_share: float, *, endpoint: str, schedule: str,
                      timestamp: datetime) -> list[dict[str, Any]]:
    points = [_datum(drift_metric_name(feature), value, endpoint, schedule, timestamp)
              for feature, value in distances.items()]
    return points + [_datum(DRIFTED_SHARE, drifted_share, endpoint, schedule, timestamp)]


def quality_metric_data(metrics: dict[str, float], labelled: int, *, endpoint: str, schedule: str,
                        timestamp: datetime) -> list[dict[str, Any]]:
    points = [_datum(name, value, endpoint, schedule, timestamp) for name, value in metrics.items()]
    return points + [_datum(LABELLED_RECORDS, float(labelled), endpoint, schedule, timestamp, unit="Count")]


def put_metric_data(cloudwatch: Any, namespace: str, data: list[dict[str, Any]]) -> int:
    """PutMetricData in batches; the number of datapoints put."""
    for start in range(0, len(data), PUT_BATCH):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[start:start + PUT_BATCH])
    return len(data)


def serialisable(data: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The datapoints with ISO timestamps (for result.json, read back by ``from_serialised``)."""
    return [{**datum, "Timestamp": datum["Timestamp"].isoformat()} for datum in data]


def from_serialised(data: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**datum, "Timestamp": datetime.fromisoformat(datum["Timestamp"])} for datum in data]


def _datum(name: str, value: float, endpoint: str, schedule: str, timestamp: datetime, unit: str = "None") -> dict:
    return {"MetricName": name, "Dimensions": dimensions(endpoint, schedule), "Timestamp": timestamp,
            "Value": float(value), "Unit": unit}
