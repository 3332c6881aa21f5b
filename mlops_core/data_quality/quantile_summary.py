"""A streaming summary of one numeric column for Wasserstein distances: exact while the column
fits, bounded memory after, with a proven bound on the error it introduces.

- Values are buffered as they come. While the column holds at most ``max_points`` values the
  summary *is* the data: the distance computed from it is the exact one.
- Beyond that, the points are sorted and merged into at most ``max_points / 4`` groups (equal
  weight, split again where a group would span more than 1/(max_points/8) of the value range),
  each replaced by its weighted mean carrying the group's weight ("compaction"); new
  values are buffered again until the next compaction. Memory: at most ``max_points`` values
  and weights (16 bytes each) plus the chunk being added, whatever the number of rows.
- Each compaction moves weight w_i from each point to its group's mean; the total of
  ``w_i * |x_i - mean|`` is what that compaction costs in transport, so ``error_bound`` (the sum
  over all compactions, divided by the number of values) bounds the first Wasserstein distance
  between the summary and the exact data. The distance between two summaries is therefore
  within ``a.error_bound + b.error_bound`` of the exact one (triangle inequality). Group means
  keep the mean exact; count, mean and the population standard deviation are also kept exactly
  (Chan et al.'s merge), since a compaction changes the spread slightly.

With the default (262,144 points) a 1M-value normal column is compacted 5 times and its bound
is around 1e-4 standard deviations: against Evidently's threshold of 0.1 that is noise.
"""

from __future__ import annotations

import math

import numpy as np

DEFAULT_MAX_POINTS = 1 << 18


class QuantileSummary:
    def __init__(self, max_points: int = DEFAULT_MAX_POINTS) -> None:
        if max_points < 16:
            raise ValueError(f"max_points must be at least 16, got {max_points}")
        self.max_points = int(max_points)
        self.count = 0
        self._mean = 0.0
        self._m2 = 0.0
        self._values = np.empty(0)  # compacted points (sorted) and their weights
        self._weights = np.empty(0)
        self._pending: list[np.ndarray] = []  # raw values not compacted yet (weight 1 each)
        self._pending_count = 0
        self._moved = 0.0  # transport cost of all compactions, in value units x weight

    @property
    def exact(self) -> bool:
        """True while no compaction happened: the summary holds every value."""
        return len(self._weights) == 0

    @property
    def mean(self) -> float:
        return self._mean

    @property
    def std(self) -> float:
        """Population standard deviation (numpy's ``np.std`` default, Evidently's normaliser)."""
        return math.sqrt(max(self._m2, 0.0) / self.count) if self.count else 0.0

    @property
    def error_bound(self) -> float:
        """Upper bound of W1(summary, exact data), in the column's units."""
        return self._moved / self.count if self.count else 0.0

    def update(self, values: np.ndarray) -> None:
        """Add finite values (drop missing ones first: Evidently drops them too)."""
        values = np.asarray(values, dtype=float).ravel()
        if len(values) == 0:
            return
        if not np.isfinite(values).all():
            raise ValueError("QuantileSummary.update takes finite values only; drop missing and infinite values first")
        self._merge_moments(values)
        self._pending.append(values.copy())
        self._pending_count += len(values)
        if len(self._values) + self._pending_count > self.max_points:
            self._compact()

    def merge(self, other: QuantileSummary) -> None:
        """Add everything ``other`` summarised (e.g. the summary of another partition)."""
        if other.count == 0:
            return
        self._merge_state(other.count, other._mean, other._m2)
        values, weights = other.points()
        if weights is None:
            self._pending.append(values)
            self._pending_count += len(values)
        else:
            self._values, self._weights = _sorted_union(self._values, self._weights, values, weights)
        self._moved += other._moved
        if len(self._values) + self._pending_count > self.max_points:
            self._compact()

    def points(self) -> tuple[np.ndarray, np.ndarray | None]:
        """(sorted values, weights in the same order, or None when every weight is 1)."""
        pending = np.sort(np.concatenate(self._pending)) if self._pending else np.empty(0)
        if self.exact:
            return pending, None
        return _sorted_union(self._values, self._weights, pending, np.ones(len(pending)))

    def _merge_moments(self, values: np.ndarray) -> None:
        mean = float(values.mean())
        deviations = values - mean
        self._merge_state(len(values), mean, float(np.square(deviations, out=deviations).sum()))

    def _merge_state(self, n: int, mean: float, m2: float) -> None:
        combined = self.count + n
        delta = mean - self._mean
        self._mean += delta * n / combined
        self._m2 += m2 + delta * delta * self.count * n / combined
        self.count = combined

    def _compact(self) -> None:
        values, weights = self.points()
        if weights is None:
            weights = np.ones(len(values))
        self._pending, self._pending_count = [], 0
        groups = max(self.max_points // 8, 1)
        cumulative = np.cumsum(weights)
        total = cumulative[-1]
        # A group ends where a share 1 / groups of the weight is complete *or* where a value
        # bin of width (max - min) / groups ends, whichever comes first: equal weight keeps the
        # dense middle fine, equal width keeps the sparse tails (where a merge would move
        # weight the furthest) from being lumped. At most 2 x groups groups.
        by_weight = np.minimum(((cumulative - weights) * (groups / total)).astype(np.int64), groups - 1)
        low, span = values[0], values[-1] - values[0]
        by_value = ((values - low) * (groups / span)).astype(np.int64) if span > 0 else np.zeros(len(values), np.int64)
        starts = np.flatnonzero((np.diff(by_weight, prepend=-1) != 0) | (np.diff(by_value, prepend=-1) != 0))
        group_weights = np.add.reduceat(weights, starts)
        means = np.add.reduceat(values * weights, starts) / group_weights
        # Rounding can put a mean a hair outside its group: keep the points sorted regardless.
        means = np.maximum.accumulate(means)
        spread = np.abs(values - np.repeat(means, np.diff(np.append(starts, len(values)))))
        self._moved += float((spread * weights).sum())
        self._values, self._weights = means, group_weights


def _sorted_union(a: np.ndarray, a_weights: np.ndarray, b: np.ndarray, b_weights: np.ndarray):
    values = np.concatenate([a, b])
    order = np.argsort(values, kind="stable")  # two sorted runs: one merge
    return values[order], np.concatenate([a_weights, b_weights])[order]
