"""An incremental index of the metric data moto stores, for alarm evaluation.

moto appends every datum of every PutMetricData to `CloudWatchBackend.metric_data` (a value put
with `Counts` becomes that many datums) and never evaluates anything. Rescanning that list for
every alarm on every tick would cost O(all data) per second; instead the index remembers how far
it has read each backend's list, and files each new datum once into a 10-second slot of its
series (namespace, name, exact dimension set, unit). Every period CloudWatch alarms allow (10,
30 or a multiple of 60 seconds) is a whole number of slots, so a period's statistics are the
union of its slots. moto's list is never mutated, so GetMetricStatistics and GetMetricData keep
seeing everything; the index drops slots older than any alarm may look back (a week).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

from mlops.localcloud.cloudwatch.formatting import epoch_of

LOG = logging.getLogger(__name__)
SLOT_SECONDS = 10
RETENTION_SECONDS = 7 * 24 * 3600 + 3600  # CloudWatch alarms look back at most 7 days

DimensionKey = frozenset  # of (name, value) pairs: CloudWatch matches dimension sets exactly


@dataclass
class Bucket:
    """The statistics of the datums in one slot (or, merged, in one period)."""

    sample_count: float = 0.0
    total: float = 0.0
    minimum: float = math.inf
    maximum: float = -math.inf
    values: list[float] = field(default_factory=list)  # raw values, for percentiles
    aggregated_samples: float = 0.0  # samples that came as StatisticValues (no raw values)

    def add_value(self, value: float) -> None:
        self.sample_count += 1
        self.total += value
        self.minimum = min(self.minimum, value)
        self.maximum = max(self.maximum, value)
        self.values.append(value)

    def add_statistics(self, *, count: float, total: float, minimum: float, maximum: float) -> None:
        self.sample_count += count
        self.aggregated_samples += count
        self.total += total
        self.minimum = min(self.minimum, minimum)
        self.maximum = max(self.maximum, maximum)

    def merge(self, other: "Bucket", *, with_values: bool) -> None:
        self.sample_count += other.sample_count
        self.aggregated_samples += other.aggregated_samples
        self.total += other.total
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        if with_values:  # only percentiles need them: copying is the costly part
            self.values.extend(other.values)


@dataclass
class _Source:
    backend: object
    data: list
    position: int = 0


def dimension_key(dimensions) -> DimensionKey:
    """The exact dimension set of moto `Dimension` objects or {"Name", "Value"} dicts."""
    pairs = []
    for dimension in dimensions or ():
        if isinstance(dimension, dict):
            pairs.append((dimension["Name"], dimension.get("Value")))
        else:
            pairs.append((dimension.name, dimension.value))
    return frozenset(pairs)


class MetricIndex:
    """Slots of every series of every moto CloudWatch backend, read incrementally."""

    def __init__(self) -> None:
        self._sources: dict[tuple[str, str], _Source] = {}
        self._slots: dict[tuple, dict[int, Bucket]] = {}  # (account, region, ns, name, dims, unit)
        self._units: dict[tuple, set] = {}  # (account, region, ns, name, dims) -> units seen

    def refresh(self, backends) -> None:
        """File the datums put since the last refresh. `backends`: (account, region, backend)."""
        for account, region, backend in backends:
            source = self._sources.get((account, region))
            if source is None or source.backend is not backend or source.data is not backend.metric_data:
                self._forget(account, region)  # a new backend or a moto reset: start over
                source = self._sources[(account, region)] = _Source(backend, backend.metric_data)
            end = len(source.data)
            for datum in source.data[source.position:end]:
                try:
                    self._file(account, region, datum)
                except (TypeError, ValueError, AttributeError) as error:  # one bad datum must not stall the rest
                    LOG.warning("metric datum %s/%s not indexed: %s", datum.namespace, datum.name, error)
            source.position = end

    def period(self, account: str, region: str, namespace: str, name: str, dimensions: DimensionKey,
               unit: str | None, start: float, seconds: int, with_values: bool = False) -> Bucket | None:
        """The merged statistics of [start, start + seconds), or None when nothing was put there;
        raw values only `with_values` (percentiles)."""
        series_key = (account, region, namespace, name, dimensions)
        units = [unit] if unit is not None else list(self._units.get(series_key, ()))
        merged = None
        first = int(start // SLOT_SECONDS)
        for unit_name in units:
            slots = self._slots.get((*series_key, unit_name))
            if not slots:
                continue
            for slot in range(first, first + seconds // SLOT_SECONDS):
                bucket = slots.get(slot)
                if bucket is not None:
                    merged = merged or Bucket()
                    merged.merge(bucket, with_values=with_values)
        return merged

    def prune(self, now: float) -> None:
        oldest = int((now - RETENTION_SECONDS) // SLOT_SECONDS)
        for slots in self._slots.values():
            for slot in [s for s in slots if s < oldest]:
                del slots[slot]

    def _file(self, account: str, region: str, datum) -> None:
        series_key = (account, region, datum.namespace, datum.name, dimension_key(datum.dimensions))
        self._units.setdefault(series_key, set()).add(datum.unit)
        slots = self._slots.setdefault((*series_key, datum.unit), {})
        slot = int(_epoch(datum.timestamp) // SLOT_SECONDS)
        bucket = slots.get(slot)
        if bucket is None:
            bucket = slots[slot] = Bucket()
        if hasattr(datum, "value"):
            bucket.add_value(float(datum.value))
        else:  # moto's MetricAggregatedDatum (StatisticValues)
            bucket.add_statistics(count=float(datum.sample_count), total=float(datum.sum),
                                  minimum=float(datum.min), maximum=float(datum.max))

    def _forget(self, account: str, region: str) -> None:
        self._sources.pop((account, region), None)
        for mapping in (self._slots, self._units):
            for key in [k for k in mapping if k[:2] == (account, region)]:
                del mapping[key]


def _epoch(timestamp) -> float:
    """A datum's time: moto keeps what the caller gave (a datetime, or text from a direct call)."""
    if isinstance(timestamp, str):
        from botocore.utils import parse_timestamp

        return parse_timestamp(timestamp).timestamp()
    return epoch_of(timestamp)
