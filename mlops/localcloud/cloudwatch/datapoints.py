"""The datapoints an alarm evaluates: one per period of its evaluation range.

Periods are aligned to the clock as CloudWatch aligns them: a period of P seconds starts at a
multiple of P since the epoch (a 60-second period on the minute, a 10-second one on :00, :10,
...), and a datapoint is stamped with its period's start. At time `now` the evaluation range is
the EvaluationPeriods most recent *complete* periods, the last one ending at or before `now`; the
current, partial period is never evaluated (its datapoint would change as data keeps coming).
CloudWatch may also look further back when data is missing; here the range is exactly
EvaluationPeriods long, so "missing" means "missing from those periods".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mlops.localcloud.cloudwatch import expressions
from mlops.localcloud.cloudwatch.errors import Unsupported
from mlops.localcloud.cloudwatch.index import MetricIndex, dimension_key
from mlops.localcloud.cloudwatch.statistics import percentile_of, value_of


@dataclass
class Datapoint:
    start: float  # the period's start, epoch seconds
    value: float | None  # None: missing
    sample_count: float | None = None  # single-metric alarms only (metric math has none)
    low_sample: bool = False  # a percentile from too few samples (EvaluateLowSampleCountPercentile)


@dataclass
class Evaluated:
    period: int
    statistic: tuple[str, str] | None  # ("statistic" | "extendedStatistic", name) for reason data
    datapoints: list[Datapoint]  # most recent first, as CloudWatch lists them


def evaluation_starts(now: float, period: int, count: int) -> list[float]:
    """Starts of the `count` most recent complete periods at `now`, most recent first."""
    end = math.floor(now / period) * period
    return [float(end - period * (k + 1)) for k in range(count)]


def collect(alarm, index: MetricIndex, *, account: str, region: str, now: float) -> Evaluated:
    """What `alarm` (a moto Alarm) evaluates at `now`; Unsupported names what cannot be."""
    if alarm.threshold_metric_id:
        raise Unsupported("anomaly detection alarms (ThresholdMetricId) are not supported by the embedded cloud")
    if alarm.metric_data_queries:
        return _metric_math(alarm, index, account=account, region=region, now=now)
    statistic = alarm.extended_statistic or alarm.statistic
    if not statistic:
        raise Unsupported("the alarm names neither Statistic nor ExtendedStatistic")
    period = int(alarm.period)
    percentile = percentile_of(statistic)
    points = []
    for start in evaluation_starts(now, period, int(alarm.evaluation_periods)):
        bucket = index.period(account, region, alarm.namespace, alarm.metric_name, dimension_key(alarm.dimensions),
                              alarm.unit, start, period, with_values=percentile is not None)
        value = value_of(bucket, statistic) if bucket else None
        low = (percentile is not None and bucket is not None and alarm.evaluate_low_sample_count_percentile == "ignore"
               and bucket.sample_count < _minimum_samples(percentile))
        points.append(Datapoint(start, value, bucket.sample_count if value is not None else None, low))
    field = "extendedStatistic" if alarm.extended_statistic else "statistic"
    return Evaluated(period, (field, statistic), points)


def _minimum_samples(percentile: float) -> float:
    """Samples below which a percentile says little: it cannot tell pNN from the maximum."""
    return 1.0 if percentile >= 100 else 1.0 / (1.0 - percentile / 100.0)


def _metric_math(alarm, index: MetricIndex, *, account: str, region: str, now: float) -> Evaluated:
    queries = {query.id: query for query in alarm.metric_data_queries}
    periods = {int(q.metric_stat.period) for q in queries.values() if q.metric_stat is not None and q.metric_stat.period}
    if len(periods) != 1:
        raise Unsupported("the alarm's metrics must all have one Period" if periods
                          else "the alarm's Metrics contain no MetricStat")
    period = periods.pop()
    starts = evaluation_starts(now, period, int(alarm.evaluation_periods))
    cache: dict[str, expressions.Series] = {}

    def resolve(query_id: str, pending: tuple = ()) -> expressions.Series:
        if query_id in cache:
            return cache[query_id]
        query = queries.get(query_id)
        if query is None or query_id in pending:
            problem = "refers to itself" if query is not None else "is no metric id of this alarm"
            raise Unsupported(f"the expression's {query_id!r} {problem}")
        if query.metric_stat is not None:
            series = _metric_stat_series(query.metric_stat, index, account, region, starts, period)
        else:
            result = expressions.evaluate(expressions.parse(query.expression or ""), periods=starts,
                                          resolve=lambda ref: resolve(ref, (*pending, query_id)))
            if not isinstance(result, dict):
                raise Unsupported(f"expression {query.expression!r} is a constant, not a time series")
            series = result
        cache[query_id] = series
        return series

    series = resolve(returned_query(alarm.metric_data_queries).id)
    return Evaluated(period, None, [Datapoint(start, series.get(start)) for start in starts])


def returned_query(queries):
    """The query whose datapoints the alarm compares with its threshold."""
    returned = [q for q in queries if str(q.return_data).lower() == "true"]
    if not returned:  # AWS requires one; a lone expression is the obvious intent
        returned = [q for q in queries if q.expression]
    if len(returned) != 1:
        raise Unsupported("exactly one of the alarm's Metrics must have ReturnData true")
    return returned[0]


def _metric_stat_series(stat, index: MetricIndex, account: str, region: str, starts: list[float],
                        period: int) -> expressions.Series:
    percentile = percentile_of(stat.stat)
    series = {}
    for start in starts:
        bucket = index.period(account, region, stat.metric.namespace, stat.metric.metric_name,
                              dimension_key(stat.metric.dimensions), stat.unit, start, period,
                              with_values=percentile is not None)
        value = value_of(bucket, stat.stat) if bucket else None
        if value is not None:
            series[start] = value
    return series
