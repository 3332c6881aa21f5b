"""Violation descriptions: Model Monitor's sentences where it has them, plain words throughout.

The drift description is exactly Model Monitor's ``distance: <d> exceeds threshold: <t>`` (its
tooling extracts both numbers with that pattern); the data type one follows Model Monitor's
"Data type match requirement is not met..." sentence; the others say what was expected, what
was found, and show examples where the statistics have them.
"""

from __future__ import annotations

import math

_EXAMPLES = 5


def missing_column(name: str) -> str:
    return f"Column '{name}' is in the baseline constraints but not in the current data."


def extra_column(name: str) -> str:
    return f"Column '{name}' is in the current data but not in the baseline constraints."


def data_type(expected: str, threshold: float, share: float, examples: list[str]) -> str:
    text = (
        f"Data type match requirement is not met. Expected data type: {expected}, "
        f"Expected match: {percent(threshold)}%. Observed: Only {percent(share)}% of data is {expected}."
    )
    if examples:
        text += f" Values that are not numbers include {quoted(examples)}."
    return text


def completeness(required: float, observed: float, missing: int, rows: int) -> str:
    return (
        f"Data completeness requirement is not met. Expected completeness: {percent(required)}%. "
        f"Observed: Only {percent(observed)}% of data is present ({missing} of {rows} rows have no value)."
    )


def negative(minimum: float) -> str:
    return f"Values must not be negative (the baseline had no negative values); observed minimum: {number(minimum)}."


def domain(known: int, threshold: float, share: float, unseen: list[str]) -> str:
    text = (
        f"Categorical values requirement is not met. Expected: at least {percent(threshold)}% of values "
        f"among the {known} values seen in the baseline. Observed: only {percent(share)}%"
    )
    return text + (f"; new values include {quoted(unseen)}." if unseen else ".")


def drift(distance: float, threshold: float, *, p_value: bool = False) -> str:
    if p_value:
        return f"p-value: {number(distance, against=threshold)} is below threshold: {number(threshold)}"
    return f"distance: {number(distance, against=threshold)} exceeds threshold: {number(threshold)}"


def percent(share: float) -> str:
    """A share as a percentage, with as many decimals as needed to not look like 100 or 0."""
    for digits in range(1, 7):
        text = f"{100 * share:.{digits}f}"
        if (float(text) not in (0.0, 100.0)) or share in (0.0, 1.0):
            return text
    return repr(100 * share)


def number(value: float, *, against: float | None = None) -> str:
    """Four decimals, or the full value when four would make it look equal to ``against``."""
    text = f"{value:.4f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)
    if against is not None and float(text) == against and value != against:
        return repr(float(value))
    return text


def quoted(values: list[str]) -> str:
    shown = ", ".join(repr(value) for value in values[:_EXAMPLES])
    return shown + (f" and {len(values) - _EXAMPLES} more" if len(values) > _EXAMPLES else "")


def looks_numeric(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False
