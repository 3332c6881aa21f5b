"""Split one column of one chunk into what the statistics need: counts per value type,
the finite numbers, and counts of the text values.

Types follow Deequ's rules as Model Monitor uses them: every present value is Integral (a
whole number), Fractional (another finite number) or String (anything else, including
``inf`` and booleans). A column read by pandas as numbers is classified without looking at
text; a text column is classified by parsing it, which is the price of CSVs read as text.

One deliberate difference from Deequ, which classifies the raw text: a value is Integral when
its number is whole, so ``3.0`` counts as Integral. pandas turns an integer column with gaps
into floats (``18`` becomes ``18.0``), and calling that Fractional would flag a type change
whenever a gap appears.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Values of a text column parsed to decide whether it is mostly numbers; the decision only
# picks the faster path, both paths classify every value the same way.
_PROBE = 256


@dataclass
class ColumnSplit:
    missing: int
    integral: int
    fractional: int
    numbers: np.ndarray  # the finite numbers (Integral and Fractional values), float64
    text: pd.Series  # counts of the String values, indexed by the value as text
    # Counts of every present value as text, when they came for free (text columns).
    value_counts: pd.Series | None = None

    @property
    def strings(self) -> int:
        return int(self.text.sum())


_EMPTY_COUNTS = pd.Series([], dtype="int64")


def split_column(series: pd.Series) -> ColumnSplit:
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        if isinstance(series.dtype, (pd.DatetimeTZDtype, pd.PeriodDtype)) or series.dtype.kind in "mM":
            # Dates are text in a CSV (String for Model Monitor); as objects pandas would
            # happily parse them into nanosecond integers.
            series = series.astype(str).where(series.notna())
        return _split_text(series)
    return _split_numbers(series)


def _split_numbers(series: pd.Series) -> ColumnSplit:
    values = series.to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(values)
    if finite.all():
        numbers, missing, text = values, 0, _EMPTY_COUNTS
    else:
        nan = np.isnan(values)
        numbers, missing = values[finite], int(nan.sum())
        infinite = values[~finite & ~nan]
        text = pd.Series(infinite.astype(str)).value_counts(sort=False) if len(infinite) else _EMPTY_COUNTS
    if pd.api.types.is_integer_dtype(series):
        integral = len(numbers)
    else:
        integral = int(np.count_nonzero(numbers == np.floor(numbers)))
    return ColumnSplit(missing, integral, len(numbers) - integral, numbers, text)


def _split_text(series: pd.Series) -> ColumnSplit:
    if not pd.api.types.is_bool_dtype(series):
        probe = pd.Series(series.iloc[: 2 * _PROBE].to_numpy(dtype=object), dtype=object).dropna().iloc[:_PROBE]
        if len(probe) and pd.to_numeric(probe, errors="coerce").notna().mean() >= 0.5:
            return _parse_each(series)
    if getattr(series.dtype, "storage", None) == "pyarrow":
        counts = series.value_counts(sort=False)  # Arrow counts its own strings fastest
        counts.index = pd.Index(counts.index.to_numpy(dtype=object), dtype=object)
    else:
        # Counting a plain object array is several times faster than counting pandas' own
        # Python string array; NaN/None are dropped by the count itself.
        counts = pd.Series(series.to_numpy(dtype=object), dtype=object, copy=False).value_counts(sort=False)
    counts = _text_index(counts)
    return _parse_distinct(counts, len(series) - int(counts.sum()))


def _text_index(counts: pd.Series) -> pd.Series:
    """Counts keyed by the values as text (1 and "1" are the same CSV cell)."""
    if len(counts) and not all(isinstance(value, str) for value in counts.index):
        counts.index = counts.index.astype(str)
        if counts.index.has_duplicates:
            counts = counts.groupby(level=0).sum()
    return counts


def _parse_each(series: pd.Series) -> ColumnSplit:
    """Mostly numbers: parse every value (distinct values are about as many as values)."""
    present = series.dropna()
    parsed = pd.to_numeric(present, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(parsed)
    numbers = parsed[finite]
    text = _EMPTY_COUNTS if finite.all() else present[~finite].astype(str).value_counts(sort=False)
    integral = int(np.count_nonzero(numbers == np.floor(numbers)))
    return ColumnSplit(len(series) - len(present), integral, len(numbers) - integral, numbers, text)


def _parse_distinct(counts: pd.Series, missing: int) -> ColumnSplit:
    """Mostly text: parse only the distinct values, weighted by their counts."""
    parsed = pd.to_numeric(pd.Series(counts.index, dtype=object), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    finite = np.isfinite(parsed)
    if not finite.any():
        return ColumnSplit(missing, 0, 0, np.empty(0), counts, counts)
    occurrences = counts.to_numpy()
    numbers = np.repeat(parsed[finite], occurrences[finite])
    integral = int(occurrences[finite][parsed[finite] == np.floor(parsed[finite])].sum())
    return ColumnSplit(missing, integral, len(numbers) - integral, numbers, counts[~finite], counts)
