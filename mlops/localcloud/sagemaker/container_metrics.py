"""CloudWatch metrics a Processing container leaves in /opt/ml/output/metrics/cloudwatch.

Model Monitor's container contract (docs: "CloudWatch Metrics for Bring Your Own Containers"):
with `publish_cloudwatch_metrics` Enabled in the job's Environment, the container writes
datapoints in PutMetricData's shape (MetricName, Timestamp, Dimensions, Value or
StatisticValues, Unit), and SageMaker publishes them once the container has exited well. A
monitoring job's container may have no network at all, so publishing is the platform's work,
done here as the job's role. Files hold one JSON datapoint per line (or a JSON list).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from mlops.localcloud.sagemaker.outcome import JobError

METRICS_DIR = ("opt", "ml", "output", "metrics", "cloudwatch")
ENDPOINT_NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
BATCH_NAMESPACE = "aws/sagemaker/ModelMonitoring/data-metrics"
PUT_BATCH = 1000  # PutMetricData takes at most 1000 datapoints a request
_FIELDS = ("MetricName", "Timestamp", "Dimensions", "Value", "StatisticValues", "Unit")


def enabled(environment: dict) -> bool:
    return (environment or {}).get("publish_cloudwatch_metrics") == "Enabled"


def namespace(environment: dict) -> str:
    return ENDPOINT_NAMESPACE if (environment or {}).get("sagemaker_endpoint_name") else BATCH_NAMESPACE


def read_metrics(root: Path) -> list[dict]:
    """The datapoints under the job's metrics folder, Timestamps parsed; JobError naming a bad file."""
    folder = root.joinpath(*METRICS_DIR)
    data: list[dict] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []:
        data += [_datum(path, item) for item in _items(path)]
    return data


def publish(cloudwatch, environment: dict, data: list[dict]) -> int:
    for start in range(0, len(data), PUT_BATCH):
        cloudwatch.put_metric_data(Namespace=namespace(environment), MetricData=data[start:start + PUT_BATCH])
    return len(data)


def _items(path: Path) -> list:
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    try:
        document = json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines()
                                                                    if line.strip()]
    except ValueError as exc:
        raise JobError(f"ClientError: {'/'.join(METRICS_DIR[2:])}/{path.name} is not JSON datapoints: {exc}") from exc
    return document if isinstance(document, list) else [document]


def _datum(path: Path, item) -> dict:
    if not isinstance(item, dict) or not item.get("MetricName") or "Timestamp" not in item:
        raise JobError(f"ClientError: a datapoint in metrics/cloudwatch/{path.name} lacks MetricName or Timestamp")
    datum = {key: item[key] for key in _FIELDS if key in item}
    datum["Timestamp"] = datetime.fromisoformat(str(item["Timestamp"]).replace("Z", "+00:00"))
    return datum
