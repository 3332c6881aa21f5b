"""The SageMaker runtime's per-request metrics, put into moto's CloudWatch backend in batches.

Per request, in namespace AWS/SageMaker: Invocations, Invocation4XXErrors, Invocation5XXErrors
(Count, 0 or 1) and ModelLatency, OverheadLatency (Microseconds), each with the dimension sets
{EndpointName, VariantName} and {EndpointName, VariantName, EndpointConfigName}
(docs/contracts.md, "Serving"). Recording is a deque append on the request path; `flush` (about
once a second) folds the requests into one datum per (metric, dimensions, second served) as
Values/Counts, which keeps every sample for percentiles, and puts them through the backend's
own put_metric_data.
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from datetime import datetime

from moto.cloudwatch.models import cloudwatch_backends

LOG = logging.getLogger(__name__)
NAMESPACE = "AWS/SageMaker"
MAX_VALUES_PER_DATUM = 150  # PutMetricData's limit for Values/Counts


class RuntimeMetrics:
    def __init__(self, *, account: str, region: str) -> None:
        self.account = account
        self.region = region
        self._pending: deque = deque()

    def record(self, *, endpoint: str, variant: str, config: str, served_at: datetime, status: int,
               model_us: float | None, overhead_us: float) -> None:
        self._pending.append((endpoint, variant, config, served_at.replace(microsecond=0), status,
                              model_us, overhead_us))

    def flush(self) -> None:
        folded: dict[tuple, Counter] = {}
        while self._pending:
            endpoint, variant, config, second, status, model_us, overhead_us = self._pending.popleft()
            values = [("Invocations", "Count", 1.0),
                      ("Invocation4XXErrors", "Count", 1.0 if 400 <= status < 500 else 0.0),
                      ("Invocation5XXErrors", "Count", 1.0 if status >= 500 else 0.0),
                      ("OverheadLatency", "Microseconds", float(round(overhead_us)))]
            if model_us is not None:
                values.append(("ModelLatency", "Microseconds", float(round(model_us))))
            for dimensions in (_dimensions(endpoint, variant), _dimensions(endpoint, variant, config)):
                for name, unit, value in values:
                    folded.setdefault((name, unit, dimensions, second), Counter())[value] += 1
        if folded:
            self._put([datum for key, counts in folded.items() for datum in _data(key, counts)])

    def _put(self, data: list[dict]) -> None:
        try:
            cloudwatch_backends[self.account][self.region].put_metric_data(NAMESPACE, data)
        except Exception:  # metrics must never break serving
            LOG.exception("could not put %d SageMaker runtime metric data", len(data))


def _dimensions(endpoint: str, variant: str, config: str | None = None) -> tuple:
    pairs = (("EndpointName", endpoint), ("VariantName", variant))
    return pairs + ((("EndpointConfigName", config),) if config else ())


def _data(key: tuple, counts: Counter) -> list[dict]:
    name, unit, dimensions, second = key
    items = sorted(counts.items())
    return [{
        "MetricName": name, "Unit": unit, "Timestamp": second,
        "Dimensions": [{"Name": n, "Value": v} for n, v in dimensions],
        "Values": [value for value, _ in chunk], "Counts": [float(count) for _, count in chunk],
    } for chunk in (items[i:i + MAX_VALUES_PER_DATUM] for i in range(0, len(items), MAX_VALUES_PER_DATUM))]
