"""A CreateHyperParameterTuningJob request checked as SageMaker checks it, before moto stores
the job: what the tuner runs, or a ValidationException that names the problem."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from moto.sagemaker.exceptions import ValidationError

from mlops.localcloud.tuning.space import SearchSpace, parse_ranges
from mlops.localcloud.tuning.strategies import Strategy, grid_size, make_strategy
from mlops.localcloud.tuning.trials import Objective

# Hyperparameters a tuning job sets on its trials itself (the training toolkit keeps them out
# of the script's arguments).
OBJECTIVE_HYPERPARAMETER = "_tuning_objective_metric"


@dataclass
class TuningPlan:
    name: str
    strategy_name: str
    strategy: Strategy
    objective: Objective
    space: SearchSpace
    max_jobs: int
    max_parallel: int
    early_stopping: str
    definition: dict[str, Any]
    tags: list[dict[str, str]]

    def trial_hyperparameters(self, tuned: dict[str, str]) -> dict[str, str]:
        static = dict(self.definition.get("StaticHyperParameters") or {})
        return {**static, **tuned, OBJECTIVE_HYPERPARAMETER: self.objective.metric}


def plan_tuning_job(*, name: str, config: dict[str, Any], definition: dict[str, Any] | None,
                    definitions: list | None, warm_start: dict | None, autotune: dict | None,
                    tags: list | None) -> TuningPlan:
    if definitions or warm_start or autotune:
        which = "TrainingJobDefinitions" if definitions else "WarmStartConfig" if warm_start else "Autotune"
        raise ValidationError(f"{which} is not supported by the embedded cloud; give one TrainingJobDefinition")
    if not definition:
        raise ValidationError("TrainingJobDefinition is required")
    definition = copy.deepcopy(definition)
    objective = _objective(config, definition)
    space = parse_ranges(config.get("ParameterRanges") or definition.get("HyperParameterRanges"))
    clash = sorted(set(space.names) & set(definition.get("StaticHyperParameters") or {}))
    if clash:
        raise ValidationError(f"Hyperparameters {', '.join(clash)} are both static and tuned; remove them from "
                              "StaticHyperParameters or from ParameterRanges")
    strategy_name = config.get("Strategy") or "Bayesian"
    max_jobs, max_parallel = _limits(config.get("ResourceLimits") or {}, strategy_name, space)
    early_stopping = config.get("TrainingJobEarlyStoppingType") or "Off"
    if early_stopping not in ("Off", "Auto"):
        raise ValidationError(f"TrainingJobEarlyStoppingType must be Off or Auto, got {early_stopping!r}")
    strategy = make_strategy(strategy_name, space, maximize=objective.type == "Maximize",
                             seed=config.get("RandomSeed"), max_jobs=max_jobs)
    return TuningPlan(name=name, strategy_name=strategy_name, strategy=strategy, objective=objective, space=space,
                      max_jobs=max_jobs, max_parallel=max_parallel, early_stopping=early_stopping,
                      definition=definition, tags=list(tags or []))


def _objective(config: dict, definition: dict) -> Objective:
    spec = config.get("HyperParameterTuningJobObjective") or definition.get("TuningObjective") or {}
    kind, metric = spec.get("Type"), spec.get("MetricName")
    if kind not in ("Maximize", "Minimize") or not metric:
        raise ValidationError("HyperParameterTuningJobObjective needs Type (Maximize or Minimize) and MetricName")
    defined = [d.get("Name") for d in (definition.get("AlgorithmSpecification") or {}).get("MetricDefinitions") or []]
    if metric not in defined:
        raise ValidationError(f"The objective metric {metric!r} is not one of the MetricDefinitions of the "
                              f"training job definition ({', '.join(defined) or 'none'})")
    return Objective(type=kind, metric=metric)


def _limits(limits: dict, strategy: str, space: SearchSpace) -> tuple[int, int]:
    max_parallel = limits.get("MaxParallelTrainingJobs")
    if not isinstance(max_parallel, int) or max_parallel < 1:
        raise ValidationError("ResourceLimits.MaxParallelTrainingJobs must be a positive integer")
    max_jobs = limits.get("MaxNumberOfTrainingJobs")
    if strategy == "Grid" and space.all_categorical:
        # Grid runs every combination once; a smaller limit cuts the grid short.
        size = grid_size(space)
        return (min(max_jobs, size) if isinstance(max_jobs, int) and max_jobs > 0 else size), max_parallel
    if not isinstance(max_jobs, int) or max_jobs < 1:
        raise ValidationError("ResourceLimits.MaxNumberOfTrainingJobs must be a positive integer")
    return max_jobs, max_parallel
