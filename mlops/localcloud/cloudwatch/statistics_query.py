"""GetMetricStatistics with CloudWatch's dimension rule (moto 5.2.5 pinned: touches internals).

CloudWatch treats each combination of dimensions as its own metric: a query names the exact
set the data was put with ("you must specify the same dimensions that were used when the
metrics were created"), and a query without dimensions sees only data put without any. moto
matches any superset instead, so a query by {EndpointName, VariantName} would also count the
SageMaker runtime's {EndpointName, VariantName, EndpointConfigName} data, twice the truth.
Periods start at StartTime, as CloudWatch's do.

GetMetricData answers percentile statistics (`p50`, `p99.9`) too, from the raw values put,
with the alarm evaluator's estimator; moto knows only the five basic statistics.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from moto.cloudwatch.exceptions import InvalidParameterValue
from moto.cloudwatch.models import CloudWatchBackend, Statistics

from mlops.localcloud.cloudwatch.errors import Unsupported
from mlops.localcloud.cloudwatch.statistics import nearest_rank, percentile_of

_original: dict = {}


def install() -> None:
    if not _original:
        _original["get_metric_statistics"] = CloudWatchBackend.get_metric_statistics
        CloudWatchBackend.get_metric_statistics = _get_metric_statistics
        _original["statistic"] = Statistics.get_statistics_for_type
        Statistics.get_statistics_for_type = _statistic


def _statistic(self: Statistics, stat: str):
    try:
        p = percentile_of(stat)
    except Unsupported:
        p = None
    if p is None:
        return _original["statistic"](self, stat)
    return nearest_rank(self.metric_single_values_list, p)


def _dimension_set(dimensions) -> frozenset:
    pairs = set()
    for dimension in dimensions or []:
        if isinstance(dimension, dict):
            pairs.add((dimension["Name"], dimension.get("Value")))
        else:  # moto's Dimension
            pairs.add((dimension.name, dimension.value))
    return frozenset(pairs)


def _get_metric_statistics(self: CloudWatchBackend, namespace: str, metric_name: str, start_time: datetime,
                           end_time: datetime, period: int, stats: list[str], dimensions, unit: str | None = None):
    start_time, end_time = start_time.replace(microsecond=0), end_time.replace(microsecond=0)
    if start_time >= end_time:
        raise InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.")
    wanted = _dimension_set(dimensions)
    step = timedelta(seconds=period)
    buckets: dict[int, Statistics] = {}
    for datum in self.get_all_metrics():
        if (datum.namespace != namespace or datum.name != metric_name
                or not start_time <= datum.timestamp < end_time or (unit and datum.unit != unit)
                or _dimension_set(datum.dimensions) != wanted):
            continue
        index = int((datum.timestamp - start_time) / step)
        bucket = buckets.get(index)
        if bucket is None:
            bucket = buckets[index] = Statistics(stats, start_time + index * step)
        bucket.metric_data.append(datum)
        bucket.unit = datum.unit
    return [buckets[index] for index in sorted(buckets)]
