"""What hyperparameter tuning knows about train.py: the metrics it prints per problem type
(the training job's MetricDefinitions) and good search spaces per estimator.

Parameter names are scikit-learn's own (train.py passes any `--name value` it does not know to
the estimator); values reach the script as strings, as SageMaker passes them.
"""

from __future__ import annotations

from typing import Any

# Every name train.py prints as `<name>=<value>` (contracts.md "SageMaker jobs").
TRAINING_METRICS: dict[str, tuple[str, ...]] = {
    "classification": ("train:accuracy", "validation:accuracy", "validation:f1"),
    "regression": ("train:rmse", "validation:rmse", "validation:mae", "validation:r2"),
}
# The holdout carved from the train channel: tuning never sees the test split.
DEFAULT_OBJECTIVE = {"classification": "validation:accuracy", "regression": "validation:rmse"}
# Errors are minimised, scores maximised.
_MINIMISED = frozenset({"rmse", "mae"})


def metric_names() -> tuple[str, ...]:
    """All metric names, classification first, each once."""
    return tuple(dict.fromkeys(name for names in TRAINING_METRICS.values() for name in names))


def objective_type(metric: str) -> str:
    return "Minimize" if metric.rsplit(":", 1)[-1] in _MINIMISED else "Maximize"


def _int(low: int, high: int, scaling: str = "Auto") -> dict[str, Any]:
    return {"type": "integer", "min": low, "max": high, "scaling": scaling}


def _float(low: float, high: float, scaling: str = "Auto") -> dict[str, Any]:
    return {"type": "continuous", "min": low, "max": high, "scaling": scaling}


def _choice(*values: str) -> dict[str, Any]:
    return {"type": "categorical", "values": list(values)}


# Ranges around scikit-learn's defaults that matter most for small and mid-size tables;
# log scales where the useful values span orders of magnitude.
_RANGES: dict[str, dict[str, dict[str, dict[str, Any]]]] = {
    "random_forest": {"any": {
        "n_estimators": _int(50, 300),
        "max_depth": _int(2, 20),
        "min_samples_leaf": _int(1, 10),
        "max_features": _choice("sqrt", "log2", "1.0"),
    }},
    "gradient_boosting": {"any": {
        "learning_rate": _float(0.01, 0.3, "Logarithmic"),
        "max_iter": _int(50, 300),
        "max_leaf_nodes": _int(8, 64, "Logarithmic"),
        "min_samples_leaf": _int(5, 50),
        "l2_regularization": _float(1e-6, 1.0, "Logarithmic"),
    }},
    "linear": {
        "classification": {"C": _float(0.001, 100.0, "Logarithmic")},
        "regression": {"alpha": _float(0.001, 100.0, "Logarithmic")},
    },
}
# Grid search takes categorical parameters only (a SageMaker rule): small default grids.
_GRIDS: dict[str, dict[str, dict[str, dict[str, Any]]]] = {
    "random_forest": {"any": {"n_estimators": _choice("100", "300"), "max_depth": _choice("none", "8")}},
    "gradient_boosting": {"any": {"learning_rate": _choice("0.03", "0.1"), "max_leaf_nodes": _choice("15", "31")}},
    "linear": {
        "classification": {"C": _choice("0.01", "0.1", "1", "10")},
        "regression": {"alpha": _choice("0.01", "0.1", "1", "10")},
    },
}


def default_ranges(estimator: str, problem_type: str, *, grid: bool) -> dict[str, dict[str, Any]]:
    """The default search space (plain dicts, validated by the config model like user input)."""
    table = (_GRIDS if grid else _RANGES)[estimator]
    return {name: dict(spec) for name, spec in table.get(problem_type, table.get("any", {})).items()}
