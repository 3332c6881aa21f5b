"""The evaluation gate: may a newly trained model (the candidate) be registered for use?

Two checks on the held-out test split, both in the metric the model's config names:
1. an absolute threshold (a minimum, or a maximum for error metrics such as rmse), and
2. champion/challenger: the candidate must not be worse than the currently approved version
   (the champion), re-scored on the same test data, by more than a tolerance.

Reports are the evaluation job's Model Monitor model-quality files (evaluation.json). Config
names a metric once for any classifier; it is looked up in the binary or multiclass section
the report has (`f1` is `f1` there and `weighted_f1` here). Pure: no AWS, no pandas.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

BINARY = "binary_classification_metrics"
MULTICLASS = "multiclass_classification_metrics"
REGRESSION = "regression_metrics"


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool
    keys: Mapping[str, str]  # report section -> metric key in that section
    lowest: float            # the range a threshold may take
    highest: float


_CLASSIFICATION = {
    "accuracy": ("accuracy", "accuracy"),
    "precision": ("precision", "weighted_precision"),
    "recall": ("recall", "weighted_recall"),
    "f1": ("f1", "weighted_f1"),
    "auc": ("auc", "weighted_auc"),  # multiclass: one-vs-rest, weighted by class support
}
METRICS: dict[str, dict[str, Metric]] = {
    "classification": {name: Metric(name, True, {BINARY: binary, MULTICLASS: multi}, 0.0, 1.0)
                       for name, (binary, multi) in _CLASSIFICATION.items()},
    "regression": {
        "r2": Metric("r2", True, {REGRESSION: "r2"}, -math.inf, 1.0),
        **{name: Metric(name, False, {REGRESSION: name}, 0.0, math.inf) for name in ("mae", "mse", "rmse")},
    },
}
# Defaults that reject only a useless model: accuracy of a coin flip on two classes, and an
# R2 below that of always predicting the mean. Set your own per model (config `gate`).
DEFAULT_METRIC = {"classification": "accuracy", "regression": "r2"}
DEFAULT_THRESHOLD = {"classification": 0.5, "regression": 0.0}
DEFAULT_TOLERANCE = 0.01


class GateError(ValueError):
    """A gate setting that cannot be applied (unknown metric, threshold out of range)."""


@dataclass(frozen=True)
class GateSettings:
    metric: str
    threshold: float
    tolerance: float = DEFAULT_TOLERANCE

    @classmethod
    def default(cls, problem_type: str) -> GateSettings:
        return cls(DEFAULT_METRIC[problem_type], DEFAULT_THRESHOLD[problem_type])

    @classmethod
    def from_dict(cls, value: Mapping[str, Any], problem_type: str) -> GateSettings:
        default = cls.default(problem_type)
        return cls(metric=str(value.get("metric") or default.metric),
                   threshold=float(value.get("threshold", default.threshold)),
                   tolerance=float(value.get("tolerance", default.tolerance)))


def metric(problem_type: str, name: str) -> Metric:
    known = METRICS.get(problem_type)
    if known is None:
        raise GateError(f"unknown problem type '{problem_type}'")
    if name not in known:
        raise GateError(f"metric '{name}' does not apply to {problem_type}; choose one of: {', '.join(known)}")
    return known[name]


def check_settings(problem_type: str, settings: GateSettings) -> None:
    """Raise GateError naming what is wrong with a gate for this problem type."""
    chosen = metric(problem_type, settings.metric)
    if not chosen.lowest <= settings.threshold <= chosen.highest:
        raise GateError(f"threshold {settings.threshold} is outside the range of {settings.metric} "
                        f"({chosen.lowest} to {chosen.highest})")
    if not (settings.tolerance >= 0 and math.isfinite(settings.tolerance)):
        raise GateError(f"tolerance must be a finite number of at least 0, got {settings.tolerance}")


def score(report: Mapping[str, Any], name: str) -> float | None:
    """The metric's value in an evaluation report; None when the report does not define it
    (e.g. auc of a test split holding a single class)."""
    chosen = metric(report.get("problem_type", ""), name)
    for section, key in chosen.keys.items():
        if section in report:
            value = (report[section].get(key) or {}).get("value")
            return None if value is None or not math.isfinite(float(value)) else float(value)
    return None
