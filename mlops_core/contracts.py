"""A model's data contract: Model Monitor's constraints.json plus the baseline statistics.json.

Where it comes from (``load_contract``), in this order:
1. the user's, ``s3://<data bucket>/contracts/<model>/constraints.json`` (and, for drift
   checks, ``statistics.json`` next to it): it wins, used exactly as written;
2. the established one, ``s3://<artifacts>/models/<model>/contract/``, written when the
   first dataset of the model was accepted (``establish_constraints``);
3. none: the dataset being validated establishes it if accepted.

The target is not part of a contract (statistics leave it out, the training checks cover it),
so a user contract that lists it is read without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from mlops_core.data_quality import check_constraints, suggest_constraints
from mlops_core.validation_report import Problem
from mlops_core.validation_settings import ValidationSettings

CONSTRAINTS_FILE = "constraints.json"
STATISTICS_FILE = "statistics.json"
DRIFT_CHECK = "baseline_drift_check"


class ContractError(ValueError):
    """A contract file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Contract:
    origin: Literal["user", "established"]
    prefix: str  # s3:// prefix holding constraints.json (and statistics.json)
    constraints: dict
    baseline: dict | None  # statistics.json the drift check compares with

    @property
    def constraints_uri(self) -> str:
        return self.prefix + CONSTRAINTS_FILE


def load_contract(read_json: Callable[[str], dict | None], *, user_prefix: str, established_prefix: str,
                  target: str) -> Contract | None:
    """The contract that applies; ``read_json(uri)`` returns None for a missing object."""
    for origin, prefix in (("user", user_prefix), ("established", established_prefix)):
        constraints = read_json(prefix + CONSTRAINTS_FILE)
        if constraints is not None:
            _check_shape(constraints, prefix + CONSTRAINTS_FILE)
            baseline = read_json(prefix + STATISTICS_FILE)
            if baseline is not None:
                _check_shape(baseline, prefix + STATISTICS_FILE)
            return Contract(origin, prefix, _without(constraints, target), baseline and _without(baseline, target))
    return None


def establish_constraints(statistics: dict, limits: ValidationSettings) -> dict:
    """constraints.json suggested from the first accepted dataset, with the config's thresholds.

    Completeness is relaxed by ``completeness_tolerance``: Model Monitor suggests the baseline's
    own completeness, which a later sample of the same source misses by chance half the time.
    """
    constraints = suggest_constraints(
        statistics,
        drift_threshold=limits.drift_threshold,
        domain_content_threshold=1.0 - limits.max_unseen_category_share,
    )
    for feature in constraints["features"]:
        feature["completeness"] = round(max(0.0, feature["completeness"] - limits.completeness_tolerance), 6)
    return constraints


def contract_problems(statistics: dict, contract: Contract, limits: ValidationSettings
                      ) -> tuple[list[Problem], list[Problem], list[dict]]:
    """(problems that reject the data, warnings, Model Monitor violations) of data against a contract.

    Drift only warns unless ``reject_drift``: drifted new data is what retraining is for.
    """
    violations = check_constraints(statistics, contract.constraints, baseline=contract.baseline)["violations"]
    problems, warnings = [], []
    for violation in violations:
        problem = Problem(violation["constraint_check_type"], violation["feature_name"], violation["description"])
        is_warning = problem.check == DRIFT_CHECK and not limits.reject_drift
        (warnings if is_warning else problems).append(problem)
    return problems, warnings, violations


def _check_shape(document: object, uri: str) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("features"), list) or not all(
        isinstance(feature, dict) and isinstance(feature.get("name"), str) for feature in document["features"]
    ):
        raise ContractError(f"{uri} is not a Model Monitor {uri.rsplit('/', 1)[-1]}: it needs a 'features' list "
                            "of objects with a 'name'")


def _without(document: dict, target: str) -> dict:
    return {**document, "features": [f for f in document["features"] if f["name"] != target]}
