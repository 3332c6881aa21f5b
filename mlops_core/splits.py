"""Deterministic train/test splits with numpy only (no scikit-learn in Lambda).

The same rows, seed and test fraction always give the same split, so a re-run of a data
version reproduces its test set. Stratified splits keep each class's share in both parts and
guarantee that every class with at least 2 rows is in train (and in test), which a plain
random split cannot promise for rare classes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def split_indices(
    n_rows: int, *, test_size: float, seed: int, labels: Sequence | np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row positions, each sorted so the files keep the input's row order.

    With ``labels`` (one per row) the split is stratified by label.
    """
    if n_rows < 2:
        raise ValueError(f"cannot split {n_rows} row(s) into train and test: at least 2 are needed")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1 (exclusive), got {test_size!r}")
    rng = np.random.default_rng(seed)
    if labels is None:
        n_test = _clip(_round(n_rows * test_size), 1, n_rows - 1)
        order = rng.permutation(n_rows)
        return np.sort(order[n_test:]), np.sort(order[:n_test])

    label_array = np.asarray(labels, dtype=str)
    if len(label_array) != n_rows:
        raise ValueError(f"got {len(label_array)} labels for {n_rows} rows")
    # np.unique sorts the classes, so the order in which classes draw from rng is stable.
    _, inverse = np.unique(label_array, return_inverse=True)
    counts = np.bincount(inverse)
    per_class_test = _allocate(counts, test_size)
    train, test = [], []
    for class_index, n_test in enumerate(per_class_test):
        members = rng.permutation(np.flatnonzero(inverse == class_index))
        test.append(members[:n_test])
        train.append(members[n_test:])
    if not any(len(part) for part in test):
        raise ValueError("no class has 2 or more rows, so no test set can be drawn by class")
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def _allocate(counts: np.ndarray, test_size: float) -> list[int]:
    """Test rows per class: proportional, summing to round(total * test_size) where possible.

    Classes with >= 2 rows get between 1 and count - 1 test rows; a single-row class stays in
    train (one example is better for the model than one unscorable test row). The total is
    corrected by largest remainder, so many small classes do not inflate the test set.
    """
    quota = counts * test_size
    low = np.where(counts >= 2, 1, 0)
    high = np.where(counts >= 2, counts - 1, 0)
    alloc = np.clip(np.floor(quota).astype(int), low, high)
    wanted = _clip(_round(counts.sum() * test_size), int(low.sum()), int(high.sum()))
    while alloc.sum() < wanted:
        room = np.flatnonzero(alloc < high)
        alloc[_first(room, quota - alloc, counts)] += 1
    while alloc.sum() > wanted:
        room = np.flatnonzero(alloc > low)
        alloc[_first(room, alloc - quota, counts)] -= 1
    return [int(value) for value in alloc]


def _first(candidates: np.ndarray, gap: np.ndarray, counts: np.ndarray) -> int:
    """The candidate with the largest gap; ties go to the biggest class, where one row matters
    least, then to class order (lexsort is stable), so the result is deterministic."""
    order = np.lexsort((-counts[candidates], -gap[candidates]))
    return int(candidates[order[0]])


def _round(value: float) -> int:
    # Half up, not Python's half-to-even: 0.5 of a row becomes a row, as people expect.
    return int(np.floor(value + 0.5))


def _clip(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
