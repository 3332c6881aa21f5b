"""Evidently-equivalent drift between two datasets, fed as DataFrame chunks (or whole frames).

``DriftProfile`` summarises one dataset column by column with bounded memory: numeric columns
in a ``QuantileSummary`` (exact while a column has at most ``max_points`` values), other
columns as value counts (``CategoryCounter``: exact up to ``max_categories`` distinct values,
the head of the distribution after). Missing values are dropped, infinities too, as Evidently
drops them. ``evidently_drift(reference, current)`` then gives each column's method, distance
and verdict with Evidently's defaults (evidently_distances.py).

A numeric column is judged by value counts, like a categorical one, when reference and current
together hold at most 5 distinct values (Evidently's rule); the profile keeps those counts
while a column has that few values and stops at the sixth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlops_core.data_quality.categorical import DEFAULT_MAX_TRACKED, CategoryCounter
from mlops_core.data_quality.evidently_distances import (
    DEFAULT_THRESHOLD,
    JENSEN_SHANNON,
    OTHER,
    WASSERSTEIN,
    is_drift,
    normed_wasserstein,
    normed_wasserstein_bound,
)
from mlops_core.data_quality.jensen_shannon import category_distance
from mlops_core.data_quality.quantile_summary import DEFAULT_MAX_POINTS, QuantileSummary

FEW_VALUES = 5  # Evidently: a numeric column with at most this many distinct values is categorical


class _NumericColumn:
    def __init__(self, max_points: int) -> None:
        self.summary = QuantileSummary(max_points)
        self.few: dict[float, int] | None = {}  # value counts while the column has <= FEW_VALUES values

    def update(self, series: pd.Series) -> None:
        values = series.to_numpy(dtype=float, na_value=np.nan)
        values = values[np.isfinite(values)]
        self.summary.update(values)
        if self.few is not None and len(values):
            # A cheap look at the head first: continuous columns stop counting on their first chunk.
            if len(np.unique(values[:64])) > FEW_VALUES:
                self.few = None
                return
            distinct, counts = np.unique(values, return_counts=True)
            for value, count in zip(distinct.tolist(), counts.tolist()):
                self.few[value] = self.few.get(value, 0) + count
            if len(self.few) > FEW_VALUES:
                self.few = None


class _CategoricalColumn:
    def __init__(self, max_categories: int) -> None:
        self.counter = CategoryCounter(max_tracked=max_categories)
        self.present = 0

    def update(self, series: pd.Series) -> None:
        counts = series.value_counts(dropna=True, sort=False)
        counts.index = counts.index.astype(str)
        self.present += int(counts.sum())
        self.counter.update(counts.groupby(level=0, sort=False).sum() if counts.index.has_duplicates else counts)

    def counts(self) -> dict[str, float]:
        listed = {value: float(count) for value, count in self.counter.top()}
        rest = self.present - sum(listed.values())
        if rest > 0:
            listed[OTHER] = float(rest)
        return listed


class DriftProfile:
    """Column summaries of one dataset (the reference or the current data)."""

    def __init__(self, *, max_points: int = DEFAULT_MAX_POINTS, max_categories: int = DEFAULT_MAX_TRACKED) -> None:
        self.max_points = max_points
        self.max_categories = max_categories
        self.rows = 0
        self.columns: dict[str, _NumericColumn | _CategoricalColumn] = {}

    def update(self, chunk: pd.DataFrame) -> None:
        for name in chunk.columns:
            series = chunk[name]
            numeric = pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
            state = self.columns.get(str(name))
            if state is None:
                state = _NumericColumn(self.max_points) if numeric else _CategoricalColumn(self.max_categories)
                self.columns[str(name)] = state
            elif numeric != isinstance(state, _NumericColumn):
                kind = "numeric" if numeric else "non-numeric"
                raise ValueError(f"column {name!r} is {kind} in this chunk but was not in the earlier ones")
            state.update(series)
        self.rows += len(chunk)


@dataclass(frozen=True)
class FeatureDrift:
    column: str
    method: str  # "wasserstein" or "jensenshannon", Evidently's stattest names
    distance: float
    threshold: float
    drifted: bool
    error_bound: float = 0.0  # how far the distance can be from the exact one (summaries compacted)


def evidently_drift(reference: DriftProfile, current: DriftProfile, *, num_threshold: float = DEFAULT_THRESHOLD,
                    cat_threshold: float = DEFAULT_THRESHOLD) -> dict[str, FeatureDrift]:
    """Per-column drift of ``current`` against ``reference``, for the reference's columns that
    the current data has too and that hold values on both sides, in the reference's order."""
    results = {}
    for name, first in reference.columns.items():
        second = current.columns.get(name)
        if second is None or type(first) is not type(second):
            continue
        if isinstance(first, _NumericColumn):
            few = _few_values(first, second)
            if few is not None:
                distance = category_distance(*few)
                results[name] = FeatureDrift(name, JENSEN_SHANNON, distance, cat_threshold,
                                             is_drift(distance, cat_threshold))
                continue
            if not first.summary.count or not second.summary.count:
                continue
            distance = normed_wasserstein(first.summary, second.summary)
            results[name] = FeatureDrift(name, WASSERSTEIN, distance, num_threshold, is_drift(distance, num_threshold),
                                         normed_wasserstein_bound(first.summary, second.summary))
        elif first.present and second.present:
            distance = category_distance(first.counts(), second.counts())
            results[name] = FeatureDrift(name, JENSEN_SHANNON, distance, cat_threshold,
                                         is_drift(distance, cat_threshold))
    return results


def _few_values(first: _NumericColumn, second: _NumericColumn):
    if first.few is None or second.few is None or not first.few or not second.few:
        return None
    if len(first.few.keys() | second.few.keys()) > FEW_VALUES:
        return None
    return ({str(k): float(v) for k, v in first.few.items()}, {str(k): float(v) for k, v in second.few.items()})
