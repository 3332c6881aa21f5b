"""CloudWatch statistics of one period: SampleCount, Average, Sum, Minimum, Maximum and pNN.

Percentiles need raw values: they are computed over the values put one by one (`Value`,
`Values`/`Counts`); samples put as `StatisticValues` carry none, so a period holding only those
has no percentile (a missing datapoint), as in CloudWatch. CloudWatch does not publish its
percentile estimator; this one is nearest-rank (the smallest value with at least p% of the
samples at or below it), exact for the sample sizes of local runs.
"""

from __future__ import annotations

import math
import re

from mlops.localcloud.cloudwatch.errors import Unsupported
from mlops.localcloud.cloudwatch.index import Bucket

STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
_PERCENTILE = re.compile(r"^p(\d{1,3}(?:\.\d+)?)$")


def percentile_of(statistic: str) -> float | None:
    """p of a `pNN` / `pNN.N` statistic, None for the five basic statistics; Unsupported otherwise."""
    if statistic in STATISTICS:
        return None
    match = _PERCENTILE.match(statistic or "")
    if match and 0.0 <= float(match.group(1)) <= 100.0:
        return float(match.group(1))
    raise Unsupported(f"statistic {statistic!r} is not supported by the embedded cloud "
                      f"(supported: {', '.join(STATISTICS)}, pNN and pNN.N)")


def valid_extended_statistic(statistic: str) -> bool:
    try:
        return percentile_of(statistic) is not None
    except Unsupported:
        return False


def value_of(bucket: Bucket, statistic: str) -> float | None:
    """The statistic of a period's merged bucket, or None when it has no such value."""
    p = percentile_of(statistic)
    if p is not None:
        return nearest_rank(bucket.values, p)
    if bucket.sample_count <= 0:
        return None
    return {
        "SampleCount": lambda: bucket.sample_count,
        "Sum": lambda: bucket.total,
        "Average": lambda: bucket.total / bucket.sample_count,
        "Minimum": lambda: bucket.minimum,
        "Maximum": lambda: bucket.maximum,
    }[statistic]()


def nearest_rank(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]
