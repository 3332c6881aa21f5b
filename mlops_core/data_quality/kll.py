"""A KLL quantile sketch in numpy, in the layout Model Monitor writes to statistics.json.

KLL (Karnin, Lang, Liberty 2016) keeps a stack of "compactors": level ``h`` holds items that
each stand for ``2**h`` original values. When a level holds more than its capacity
``max(2, ceil(k * c**(H - 1 - h)))`` (``H`` = number of levels) it is sorted and every other
item, from a random start, moves up one level. Model Monitor (via Deequ's
``QuantileNonSample``) stores exactly this: ``"sketch": {"parameters": {"c", "k"}, "data":
[[level 0 items], [level 1 items], ...]}`` with Deequ's defaults ``k = 2048``, ``c = 0.64``,
so a sketch written here can be read back by anything that reads theirs.

Properties relied on by the rest of the package:
- exact while a column has at most ``k`` values (nothing is ever compacted);
- mergeable: adding another sketch's levels level by level gives a sketch of the union
  (``add(items, level)``), which is how sampled batches enter above level 0;
- memory O(k / (1 - c)) numbers per column whatever the number of values;
- rank error of a compaction-only KLL with k = 2048: well under 0.5% of n.

Batches arrive already sorted and may enter at a level above 0 (see ``intake.py``), which is
how a whole chunk is added with a few vectorised operations instead of one item at a time.
The random start of each compaction comes from a seeded generator, so the same input in the
same chunks always gives the same sketch.
"""

from __future__ import annotations

import math

import numpy as np

DEFAULT_K = 2048
DEFAULT_C = 0.64


class KllSketch:
    def __init__(self, k: int = DEFAULT_K, c: float = DEFAULT_C, *, seed: int = 0) -> None:
        if k < 2 or not 0.5 <= c < 1.0:
            raise ValueError(f"KLL parameters out of range: k={k} (at least 2), c={c} (0.5 <= c < 1)")
        self.k = int(k)
        self.c = float(c)
        self.levels: list[np.ndarray] = [np.empty(0)]
        self._rng = np.random.default_rng(seed)

    def add(self, values: np.ndarray, level: int = 0) -> None:
        """Add finite float values, each weighing ``2**level`` values of the stream."""
        if len(values) == 0:
            return
        items = np.sort(np.asarray(values, dtype=float))
        # A batch larger than any level is compacted on its own first (halving a sorted run is
        # one strided slice), instead of being merged into a level and re-sorted at each step.
        while len(items) > self.k:
            odd = len(items) % 2
            if odd:  # the largest item stays at this level, as in _compact
                self._put(items[-1:], level)
                items = items[:-1]
            items = items[int(self._rng.integers(0, 2)) :: 2]
            level += 1
        self._put(items, level)
        self._compress()

    def _put(self, items: np.ndarray, level: int) -> None:
        while len(self.levels) <= level:
            self.levels.append(np.empty(0))
        self.levels[level] = np.concatenate([self.levels[level], items])

    def _capacity(self, level: int) -> int:
        depth = len(self.levels) - 1 - level
        return max(2, math.ceil(self.k * self.c**depth))

    def _compress(self) -> None:
        # Compact the lowest over-full level until none is over capacity; adding a level
        # shrinks the capacities below it, hence the rescan from the bottom.
        while True:
            level = next((h for h, items in enumerate(self.levels) if len(items) > self._capacity(h)), None)
            if level is None:
                return
            self._compact(level)

    def _compact(self, level: int) -> None:
        items = np.sort(self.levels[level], kind="stable")  # a few sorted runs: merges in O(n)
        odd = len(items) % 2
        # An odd item stays behind (the largest, so the promoted pairs stay adjacent).
        stay, pairs = items[len(items) - odd :], items[: len(items) - odd]
        start = int(self._rng.integers(0, 2))
        if level + 1 == len(self.levels):
            self.levels.append(np.empty(0))
        self.levels[level] = stay
        self.levels[level + 1] = np.concatenate([self.levels[level + 1], pairs[start::2]])

    def to_json(self) -> dict:
        return {
            "parameters": {"c": self.c, "k": self.k},
            "data": [np.sort(items).tolist() for items in self.levels],
        }


def cdf_points(levels: list) -> tuple[np.ndarray, np.ndarray]:
    """Empirical CDF of weighted sketch levels: (sorted items, cumulative weight fraction)."""
    arrays = [np.asarray(items, dtype=float) for items in levels]
    items = np.concatenate(arrays) if arrays else np.empty(0)
    if len(items) == 0:
        return items, items
    weights = np.concatenate([np.full(len(values), 2.0**level) for level, values in enumerate(arrays)])
    order = np.argsort(items, kind="stable")
    cumulative = np.cumsum(weights[order])
    return items[order], cumulative / cumulative[-1]


def cdf_at(points: tuple[np.ndarray, np.ndarray], where: np.ndarray) -> np.ndarray:
    """Evaluate a CDF from ``cdf_points`` at ``where`` (fraction of weight <= each value)."""
    items, fractions = points
    positions = np.searchsorted(items, where, side="right")
    padded = np.concatenate([[0.0], fractions])
    return padded[positions]
