"""The metric index reads moto's list incrementally, matches dimension sets exactly and
starts over when moto is reset."""

from __future__ import annotations

from types import SimpleNamespace

from moto.cloudwatch.models import MetricAggregatedDatum, MetricDatum

from mlops.localcloud.cloudwatch.formatting import naive_utc
from mlops.localcloud.cloudwatch.index import MetricIndex, dimension_key

DIMS = [{"Name": "EndpointName", "Value": "e"}]


def datum(value: float, at: float, dims=DIMS, unit=None) -> MetricDatum:
    return MetricDatum("NS", "Latency", value, dims, naive_utc(at), unit)


def backend(*data) -> SimpleNamespace:
    return SimpleNamespace(metric_data=list(data))


def test_only_new_datums_are_read(monkeypatch):
    index, source = MetricIndex(), backend(datum(1.0, 1000.0), datum(2.0, 1001.0))
    filed = []
    original = MetricIndex._file
    monkeypatch.setattr(MetricIndex, "_file", lambda self, a, r, d: (filed.append(d), original(self, a, r, d)))
    index.refresh([("1", "r", source)])
    source.metric_data.append(datum(4.0, 1002.0))
    index.refresh([("1", "r", source)])
    assert [d.value for d in filed] == [1.0, 2.0, 4.0]
    merged = index.period("1", "r", "NS", "Latency", dimension_key(DIMS), None, 1000.0, 10, with_values=True)
    assert (merged.sample_count, merged.total, sorted(merged.values)) == (3, 7.0, [1.0, 2.0, 4.0])


def test_a_period_merges_its_slots_and_nothing_else():
    source = backend(datum(1.0, 995.0), datum(2.0, 1000.0), datum(3.0, 1055.0), datum(4.0, 1060.0),
                     datum(50.0, 1010.0, dims=[*DIMS, {"Name": "VariantName", "Value": "v"}]),
                     datum(60.0, 1010.0, unit="Seconds"))
    index = MetricIndex()
    index.refresh([("1", "r", source)])
    minute = index.period("1", "r", "NS", "Latency", dimension_key(DIMS), None, 1020.0 - 20.0, 60)
    assert (minute.sample_count, minute.total, minute.maximum) == (3, 65.0, 60.0)
    untyped = index.period("1", "r", "NS", "Latency", dimension_key(DIMS), "Seconds", 1000.0, 60)
    assert untyped.total == 60.0


def test_statistic_sets_are_merged_without_values():
    source = backend(MetricAggregatedDatum("NS", "Latency", 1.0, 9.0, 3, 12.0, DIMS, naive_utc(1000.0)))
    index = MetricIndex()
    index.refresh([("1", "r", source)])
    merged = index.period("1", "r", "NS", "Latency", dimension_key(DIMS), None, 1000.0, 10, with_values=True)
    assert (merged.sample_count, merged.minimum, merged.maximum, merged.values) == (3, 1.0, 9.0, [])


def test_a_moto_reset_starts_the_index_over():
    index, first = MetricIndex(), backend(datum(1.0, 1000.0))
    index.refresh([("1", "r", first)])
    index.refresh([("1", "r", backend(datum(5.0, 1000.0)))])
    merged = index.period("1", "r", "NS", "Latency", dimension_key(DIMS), None, 1000.0, 10)
    assert merged.total == 5.0


def test_old_slots_are_pruned():
    index = MetricIndex()
    index.refresh([("1", "r", backend(datum(1.0, 1000.0)))])
    index.prune(1000.0 + 8 * 24 * 3600)
    assert index.period("1", "r", "NS", "Latency", dimension_key(DIMS), None, 1000.0, 10) is None
