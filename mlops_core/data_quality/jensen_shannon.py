"""Jensen-Shannon distance between two category distributions, in numpy alone.

Same value as ``scipy.spatial.distance.jensenshannon(p, q)`` with its default ``base=None``,
i.e. natural logarithms, which is what Evidently calls (``stattests/jensenshannon.py`` passes
``base=None``): the square root of the JS divergence, between 0 and sqrt(ln 2) = 0.833.
Both inputs are normalised to sum to 1 first, as scipy does, so counts work as well as shares.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def jensen_shannon_distance(p: np.ndarray, q: np.ndarray, base: float | None = None) -> float:
    """JS distance between two aligned non-negative vectors (counts or shares)."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape != q.shape or p.ndim != 1 or len(p) == 0:
        raise ValueError("p and q must be non-empty one-dimensional arrays of the same length")
    if (p < 0).any() or (q < 0).any() or p.sum() <= 0 or q.sum() <= 0:
        raise ValueError("p and q must be non-negative and not all zero")
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2.0
    divergence = _relative_entropy(p, m) + _relative_entropy(q, m)
    if base is not None:
        divergence /= np.log(base)
    return float(np.sqrt(max(divergence, 0.0) / 2.0))


def category_distance(reference: Mapping[str, float], current: Mapping[str, float]) -> float:
    """JS distance between two {category: count} mappings, over the union of their categories
    (a category missing on one side counts 0 there, as Evidently fills it)."""
    keys = list(reference.keys() | current.keys())
    p = np.array([reference.get(key, 0.0) for key in keys], dtype=float)
    q = np.array([current.get(key, 0.0) for key in keys], dtype=float)
    return jensen_shannon_distance(p, q)


def _relative_entropy(x: np.ndarray, y: np.ndarray) -> float:
    # scipy.special.rel_entr: x log(x / y), 0 where x is 0 (y > 0 wherever x > 0 here, as y = mean).
    present = x > 0
    return float(np.sum(x[present] * np.log(x[present] / y[present])))
