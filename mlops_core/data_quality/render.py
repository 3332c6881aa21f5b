"""Column states -> statistics.json in SageMaker Model Monitor's schema.

Schema (docs: "Schema for Statistics (statistics.json file)"): ``{"version": 0.0, "dataset":
{"item_count"}, "features": [...]}``; numeric features carry ``numerical_statistics`` with a
KLL ``distribution`` materialised in 10 equal-width buckets between min and max (Model
Monitor's fixed choice) plus the sketch itself; String features carry ``string_statistics``
with ``distinct_count`` and categorical buckets. A feature with no values at all is
``Unknown`` with empty string statistics. One custom statistic per feature, ``type_counts``
(values that are Integral / Fractional / String), feeds the data_type_check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlops_core.data_quality.kll import cdf_points

if TYPE_CHECKING:
    from mlops_core.data_quality.accumulator import ColumnState

STATISTICS_VERSION = 0.0
_BUCKETS = 10


def render_statistics(rows: int, columns: dict[str, ColumnState]) -> dict:
    return {
        "version": STATISTICS_VERSION,
        "dataset": {"item_count": int(rows)},
        "features": [_feature(name, state) for name, state in columns.items()],
    }


def _feature(name: str, state: ColumnState) -> dict:
    inferred = state.inferred_type()
    common = {"num_present": int(state.present), "num_missing": int(state.missing)}
    # Custom statistic (the schema allows them): how many values parsed as each type, so the
    # data_type_check can say which share of a column still matches the baseline's type.
    types = {"Integral": int(state.integral), "Fractional": int(state.fractional), "String": int(state.strings)}
    if inferred in ("Integral", "Fractional"):
        block = {"numerical_statistics": _numerical(common, state)}
    else:
        block = {"string_statistics": _string(common, state)}
    return {"name": name, "inferred_type": inferred, **block, "type_counts": types}


def _numerical(common: dict, state: ColumnState) -> dict:
    numbers = state.numbers
    sketch = numbers.sketch.to_json()
    return {
        "common": common,
        "mean": numbers.mean,
        "sum": numbers.total,
        "std_dev": numbers.std_dev,
        "min": numbers.minimum,
        "max": numbers.maximum,
        "distribution": {
            "kll": {"buckets": kll_buckets(sketch["data"], numbers.minimum, numbers.maximum), "sketch": sketch}
        },
    }


def _string(common: dict, state: ColumnState) -> dict:
    categories = state.categories
    top = categories.top() if categories is not None else []
    return {
        "common": common,
        "distinct_count": categories.distinct_count() if categories is not None else 0,
        "distribution": {"categorical": {"buckets": [{"value": value, "count": count} for value, count in top]}},
    }


def kll_buckets(levels: list, minimum: float, maximum: float) -> list[dict]:
    """Sketch weight in 10 equal-width buckets [lower, upper) over [min, max] (last one closed)."""
    items, _ = cdf_points(levels)
    if len(items) == 0:
        return []
    if minimum == maximum:
        return [{"lower_bound": minimum, "upper_bound": maximum, "count": float(_weight(levels))}]
    edges = np.linspace(minimum, maximum, _BUCKETS + 1)
    values = np.concatenate([np.asarray(level, dtype=float) for level in levels])
    weights = np.concatenate([np.full(len(level), 2.0**height) for height, level in enumerate(levels)])
    counts, _ = np.histogram(values, bins=edges, weights=weights)
    return [
        {"lower_bound": float(edges[i]), "upper_bound": float(edges[i + 1]), "count": float(counts[i])}
        for i in range(_BUCKETS)
    ]


def _weight(levels: list) -> int:
    return sum(len(level) << height for height, level in enumerate(levels))
