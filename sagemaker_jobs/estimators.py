"""The estimators a model config can name, with defaults, and hyperparameter coercion.

Hyperparameters reach the script as command-line text (`--max-depth 5`); the SageMaker
training toolkit does not know the estimator, so the values are coerced here.
"""
from __future__ import annotations

import json

from sklearn.base import BaseEstimator
from sklearn.ensemble import (
    HistGradientBoostingClassifier, HistGradientBoostingRegressor,
    RandomForestClassifier, RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge

from job_errors import JobError

# (class, defaults) per estimator name and problem type. HistGradientBoosting rather than
# GradientBoosting: it is much faster on anything past a few thousand rows and at least as good.
# LogisticRegression gets more iterations than its default 100, which often stops short on
# one-hot data.
ESTIMATORS: dict[str, dict[str, tuple[type[BaseEstimator], dict]]] = {
    "random_forest": {
        "classification": (RandomForestClassifier, {"n_estimators": 200, "n_jobs": -1}),
        "regression": (RandomForestRegressor, {"n_estimators": 200, "n_jobs": -1}),
    },
    "gradient_boosting": {
        "classification": (HistGradientBoostingClassifier, {}),
        "regression": (HistGradientBoostingRegressor, {}),
    },
    "linear": {
        "classification": (LogisticRegression, {"max_iter": 2000}),
        "regression": (Ridge, {"alpha": 1.0}),
    },
}


def make_estimator(name: str, problem_type: str, params: dict, seed: int) -> BaseEstimator:
    """An unfitted estimator; unknown names and parameters fail before any fitting."""
    require_known(name)
    cls, defaults = ESTIMATORS[name][problem_type]
    estimator = cls(**defaults)
    accepted = estimator.get_params(deep=False)
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise JobError(
            f"Estimator '{name}' ({cls.__name__}) has no parameter(s) {', '.join(unknown)}. "
            f"It accepts: {', '.join(sorted(accepted))}."
        )
    if "random_state" in accepted:
        estimator.set_params(random_state=seed)
    return estimator.set_params(**params)


def coerce_value(text: str):
    """Command-line text to a Python value: none/null/empty, true/false, int, float, else str."""
    stripped = text.strip()
    lowered = stripped.lower()
    # The training toolkit passes a JSON null hyperparameter as an empty argument.
    if lowered in ("none", "null", ""):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    for number in (int, float):
        try:
            return number(stripped)
        except ValueError:
            pass
    # The SageMaker SDK JSON-encodes string hyperparameters ("\"balanced\""); undo that.
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    return stripped


def require_known(name: str) -> None:
    """Fail on an unknown estimator name before any data is read."""
    if name not in ESTIMATORS:
        raise JobError(
            f"Unknown estimator '{name}'. Choose one of: {', '.join(sorted(ESTIMATORS))}."
        )


def params_from_args(tokens: list[str]) -> dict:
    """Leftover command-line tokens to estimator parameters.

    `--max-depth 5 --class_weight=balanced -C 0.5 --sagemaker_program x` -> {"max_depth": 5,
    "class_weight": "balanced", "C": 0.5}: dashes become underscores, and the `sagemaker_*`
    entries the SageMaker SDK adds to every job's hyperparameters are ignored.
    """
    params, i = {}, 0
    while i < len(tokens):
        token = tokens[i]
        key, has_value, value = _option_name(token).partition("=")
        if not key:
            raise JobError(f"Unexpected argument '{token}': hyperparameters come as --name value.")
        if not has_value:
            if i + 1 >= len(tokens) or _option_name(tokens[i + 1]):
                raise JobError(f"Hyperparameter {token} has no value.")
            i, value = i + 1, tokens[i + 1]
        i += 1
        name = key.replace("-", "_")
        if not name.startswith("sagemaker_"):
            params[name] = coerce_value(value)
    return params


def _option_name(token: str) -> str:
    """"max-depth" for "--max-depth"; "C" for "-C", the toolkit's spelling of one-letter
    names (LogisticRegression's C); "" for a value such as "-1"."""
    if token.startswith("--"):
        return token[2:]
    if len(token) == 2 and token[0] == "-" and token[1].isalpha():
        return token[1:]
    return ""
