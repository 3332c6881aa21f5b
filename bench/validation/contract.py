"""The benchmark's data contract for the three peer implementations, and its two distances.

Derived once from the reference sample with plain pandas and saved as JSON, so pandas,
pandera and Great Expectations check the batch against the very same numbers. Our core
builds its own contract (statistics.json + constraints.json) from the same reference sample.

Thresholds follow Model Monitor's `monitoring_config` names where one exists:
- completeness: the batch's non-missing share may fall at most COMPLETENESS_SLACK below the
  reference's;
- domain: at most `domain_content_threshold` of the values may lie outside the reference's
  observed values;
- drift: `comparison_threshold` on an L-infinity distance between distributions: for numbers
  the largest gap between the two empirical CDFs at the reference's deciles (a
  Kolmogorov-Smirnov statistic on ten quantile bins), for strings the largest gap between
  category frequencies.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

THRESHOLDS = {
    "completeness_slack": 0.05,
    "domain_content_threshold": 0.1,
    "comparison_threshold": 0.1,
    "datatype_check_threshold": 0.1,
}
DECILES = np.linspace(0.1, 0.9, 9)


def build(reference: pd.DataFrame) -> dict:
    """The contract of every column of `reference` (numeric or string, by parsed dtype)."""
    return {"thresholds": THRESHOLDS, "columns": [_column(name, reference[name]) for name in reference.columns]}


def _column(name: str, series: pd.Series) -> dict:
    present = series.dropna()
    column = {"name": name, "dtype": str(series.dtype), "completeness": float(len(present) / len(series))}
    if pd.api.types.is_numeric_dtype(series):
        values = present.to_numpy(dtype=float)
        edges = np.unique(np.quantile(values, DECILES))
        # cdf_below (share < edge) serves GE, whose histogram bins are closed on the left.
        below = np.array([np.count_nonzero(values < edge) for edge in edges]) / len(values)
        return {**column, "kind": "numeric", "non_negative": bool(present.min() >= 0), "edges": edges.tolist(),
                "cdf": empirical_cdf(values, edges).tolist(), "cdf_below": below.tolist()}
    frequencies = present.value_counts(normalize=True)
    return {**column, "kind": "string", "domain": sorted(frequencies.index.tolist()),
            "frequencies": {str(k): float(v) for k, v in frequencies.items()}}


def empirical_cdf(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of `values` <= each edge: one vectorised comparison per edge, no sort."""
    return np.array([np.count_nonzero(values <= edge) for edge in edges]) / max(len(values), 1)


def numeric_distance(present: np.ndarray, column: dict) -> float:
    """Largest CDF gap between the batch's non-missing values and the reference's, at its deciles."""
    return float(np.max(np.abs(empirical_cdf(present, np.asarray(column["edges"])) - column["cdf"])))


def categorical_distance(frequencies: pd.Series, column: dict) -> float:
    """Largest frequency gap over the union of categories (unseen ones count against 0)."""
    reference = pd.Series(column["frequencies"], dtype=float)
    aligned = frequencies.astype(float).align(reference, fill_value=0.0)
    return float((aligned[0] - aligned[1]).abs().max())


def save(contract: dict, path: Path) -> None:
    path.write_text(json.dumps(contract, indent=1))


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text())
