"""Running value counts of one text column, with bounded memory.

- Counts: at most ``2 * max_tracked`` values are held; when more arrive, the ``max_tracked``
  most frequent are kept and the rest are dropped (``pruned``). A value dropped and seen again
  restarts from zero, so its count can be low by at most what it had when dropped; values
  that stay frequent (the head of the distribution, which is what drift and domains use) keep
  exact counts. Unlisted values are the rest of ``num_present``.
- Distinct count: a k-minimum-values sketch over 64-bit hashes of the values (Bar-Yossef et
  al. 2002): exact up to ``kmv_size`` distinct values, beyond that an estimate with a relative
  standard error of about 1 / sqrt(kmv_size - 2) (1.6% for the default 4096).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_MAX_TRACKED = 1000
DEFAULT_KMV_SIZE = 4096


class CategoryCounter:
    def __init__(self, *, max_tracked: int = DEFAULT_MAX_TRACKED, kmv_size: int = DEFAULT_KMV_SIZE) -> None:
        self.max_tracked = max_tracked
        self.kmv_size = kmv_size
        self.counts = pd.Series([], dtype="int64")
        self.pruned = False
        self._hashes = np.empty(0, dtype=np.uint64)

    def update(self, counts: pd.Series) -> None:
        """Add value counts (index: the values as text)."""
        if len(counts) == 0:
            return
        self._remember_distinct(counts.index)
        if len(self.counts):
            self.counts = self.counts.add(counts, fill_value=0).astype("int64")
        else:
            self.counts = counts.astype("int64")
        if len(self.counts) > 2 * self.max_tracked:
            self.counts = _most_frequent(self.counts, self.max_tracked)
            self.pruned = True

    def distinct_count(self) -> int:
        if len(self._hashes) < self.kmv_size:
            return len(self._hashes)
        kth = float(self._hashes[self.kmv_size - 1]) / 2.0**64
        return round((self.kmv_size - 1) / kth)

    def top(self) -> list[tuple[str, int]]:
        """Tracked values, most frequent first (ties by value, so results are reproducible)."""
        kept = _most_frequent(self.counts, self.max_tracked)
        return [(str(value), int(count)) for value, count in zip(kept.index, kept.to_numpy())]

    @property
    def complete(self) -> bool:
        """True when every value seen is listed with its exact count."""
        return not self.pruned and len(self.counts) <= self.max_tracked

    def _remember_distinct(self, values: pd.Index) -> None:
        hashes = pd.util.hash_array(np.asarray(values, dtype=object))
        merged = np.union1d(self._hashes, hashes)
        self._hashes = merged[: self.kmv_size]


def _most_frequent(counts: pd.Series, limit: int) -> pd.Series:
    """The ``limit`` largest counts, ties broken by value, so the choice never depends on the
    order values arrived in (and ties cannot make the kept list grow past ``limit``)."""
    frame = pd.DataFrame({"value": counts.index.astype(str), "count": counts.to_numpy()})
    frame = frame.sort_values(["count", "value"], ascending=[False, True], kind="stable").head(limit)
    return pd.Series(frame["count"].to_numpy(), index=pd.Index(frame["value"].to_numpy(), dtype=object))
