"""Streaming statistics: feed DataFrame chunks, get statistics.json.

Memory is bounded per column, whatever the number of rows:
- numeric state: a KLL sketch, at most about ``k / (1 - c)`` + ``INTAKE_SAMPLE`` floats while a
  batch is added (about 6,000 + 33,000 with the defaults), plus a few scalars;
- text state (only for columns that hold text): at most ``2 * max_categories`` value counts
  and ``kmv_size`` hashes.
So the bound is O(columns x (sketch size + max tracked categories)) plus one chunk, about
0.5 MB per column with the defaults.
"""

from __future__ import annotations

import zlib
from collections import Counter

import pandas as pd

from mlops_core.data_quality.categorical import DEFAULT_MAX_TRACKED, CategoryCounter
from mlops_core.data_quality.columns import split_column
from mlops_core.data_quality.kll import DEFAULT_C, DEFAULT_K
from mlops_core.data_quality.numeric import NumericState
from mlops_core.data_quality.render import render_statistics


class DataQualityError(ValueError):
    """Input the statistics cannot be computed from; the message says why in plain words."""


class ColumnState:
    def __init__(self, name: str, *, k: int, c: float, max_categories: int) -> None:
        seed = zlib.crc32(name.encode("utf-8"))  # reproducible per column, different across columns
        self.missing = 0
        self.integral = 0
        self.fractional = 0
        self.strings = 0
        self.numbers = NumericState(k=k, c=c, seed=seed)
        self.categories: CategoryCounter | None = None
        self._max_categories = max_categories

    @property
    def present(self) -> int:
        return self.integral + self.fractional + self.strings

    def update(self, series: pd.Series) -> None:
        split = split_column(series)
        self.missing += split.missing
        self.integral += split.integral
        self.fractional += split.fractional
        self.strings += split.strings
        self.numbers.update(split.numbers)
        if self.categories is None and self.strings:
            # The column will be reported as String: from the first text value on, its values
            # are counted. Chunks that are mostly numbers contribute only their non-numbers, so
            # a number column that turned to text lists the offending text, not a million
            # distinct numbers (documented in docs/data-quality.md).
            self.categories = CategoryCounter(max_tracked=self._max_categories)
        if self.categories is not None:
            self.categories.update(split.value_counts if split.value_counts is not None else split.text)

    def inferred_type(self) -> str:
        # Deequ's DataType rules: no values -> Unknown; any text -> String; any fraction -> Fractional.
        if self.present == 0:
            return "Unknown"
        if self.strings:
            return "String"
        return "Fractional" if self.fractional else "Integral"


class StatisticsAccumulator:
    """Statistics of the concatenation of every chunk passed to ``update``.

    ``target`` names the label column, left out of the features: captured inference requests
    never contain it, and the training checks look at the label on their own.
    """

    def __init__(
        self,
        *,
        target: str | None = None,
        max_categories: int = DEFAULT_MAX_TRACKED,
        sketch_k: int = DEFAULT_K,
        sketch_c: float = DEFAULT_C,
    ) -> None:
        self._target = target
        self._options = {"k": sketch_k, "c": sketch_c, "max_categories": max_categories}
        self._columns: dict[str, ColumnState] = {}
        self._rows = 0
        self._target_seen = False

    def update(self, chunk: pd.DataFrame) -> None:
        names = [str(name) for name in chunk.columns]
        repeated = sorted(name for name, count in Counter(names).items() if count > 1)
        if repeated:
            raise DataQualityError(f"column names must be unique; repeated: {', '.join(map(repr, repeated))}")
        for position, name in enumerate(names):
            if name == self._target:
                self._target_seen = True
                continue
            state = self._columns.get(name)
            if state is None:
                state = self._columns[name] = ColumnState(name, **self._options)
                state.missing += self._rows  # a column that appears late was missing before
            state.update(chunk.iloc[:, position])
        for name in set(self._columns) - set(names):
            self._columns[name].missing += len(chunk)  # and one that disappears is missing now
        self._rows += len(chunk)

    def result(self) -> dict:
        """statistics.json (Model Monitor's schema) of everything seen so far."""
        if self._target is not None and self._rows and not self._target_seen:
            raise DataQualityError(f"the target column {self._target!r} is not in the data")
        return render_statistics(self._rows, self._columns)
