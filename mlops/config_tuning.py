"""The `tuning` block of a model's config (docs/contracts.md "Hyperparameter tuning").

Off by default. When on, the pipeline runs a SageMaker hyperparameter tuning job instead of one
training job; `TuningConfig.settings_block` renders the request's `HyperParameterTuningJobConfig`
in AWS's own shape, so the state machine passes it through unchanged.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field

from mlops.tuning_defaults import DEFAULT_OBJECTIVE, TRAINING_METRICS, default_ranges, objective_type
from mlops.tuning_ranges import RANGE_ADAPTER, ParameterRange, Strict, aws_ranges

# SageMaker: at most 30 tuned parameters.
MAX_RANGES = 30
DEFAULT_MAX_JOBS = 10
# The whole settings document must stay inside one standard SSM parameter (4 KB).
MAX_RENDERED_CHARS = 2000


class HyperbandConfig(Strict):
    min_resource: int = Field(default=1, ge=1, le=20_000)
    max_resource: int = Field(default=20, ge=1, le=20_000)


class TuningConfig(Strict):
    enabled: bool = False
    strategy: Literal["Bayesian", "Random", "Grid", "Hyperband"] = "Bayesian"
    objective_metric: str | None = None  # default per problem type (tuning_defaults)
    objective_type: Literal["Maximize", "Minimize"] | None = None  # default: by the metric
    parameter_ranges: dict[str, ParameterRange] | None = None  # default per estimator
    max_jobs: int | None = Field(default=None, ge=1, le=500)  # default 10; Grid: every combination
    max_parallel_jobs: int = Field(default=2, ge=1, le=100)
    early_stopping: Literal["Off", "Auto"] = "Off"
    hyperband: HyperbandConfig = Field(default_factory=HyperbandConfig)

    def check(self, *, problem_type: str, estimator: str, hyperparameters: Iterable[str],
              reserved: Iterable[str], name_pattern: str) -> None:
        """Cross-field rules; raises ValueError naming `tuning.<field>`."""
        metric = self.metric(problem_type)
        if metric not in TRAINING_METRICS[problem_type]:
            raise ValueError(f"tuning.objective_metric: '{metric}' is not printed by a {problem_type} "
                             f"training job; choose one of {', '.join(TRAINING_METRICS[problem_type])}")
        static, reserved = set(hyperparameters), set(reserved)
        ranges = self.ranges(problem_type, estimator, static)
        if (self.enabled and not ranges) or len(ranges) > MAX_RANGES:
            raise ValueError(f"tuning.parameter_ranges: give between 1 and {MAX_RANGES} parameters")
        for name in ranges:
            if name in reserved or name.startswith("sagemaker_") or not re.fullmatch(name_pattern, name):
                raise ValueError(f"tuning.parameter_ranges: '{name}' cannot be tuned (set by the pipeline "
                                 "or not a valid name)")
            if name in static:
                raise ValueError(f"tuning.parameter_ranges: '{name}' is also a fixed hyperparameter; "
                                 "remove it from one of the two")
        self._check_strategy(ranges)
        if not ranges:
            return
        rendered = self.job_config(problem_type=problem_type, estimator=estimator, fixed=static, random_seed=0)
        if len(json.dumps(rendered)) > MAX_RENDERED_CHARS:
            raise ValueError(f"tuning.parameter_ranges: the search space is too large for the model's settings "
                             f"parameter (over {MAX_RENDERED_CHARS} characters); use fewer parameters or values")

    def _check_strategy(self, ranges: dict[str, Any]) -> None:
        if self.strategy == "Grid":
            numeric = sorted(name for name, spec in ranges.items() if spec.type != "categorical")
            if numeric:
                raise ValueError(f"tuning.parameter_ranges: the Grid strategy takes categorical ranges only; "
                                 f"{', '.join(numeric)} are not")
            combinations = math.prod(len(spec.values) for spec in ranges.values())
            if self.max_jobs is not None and self.max_jobs != combinations:
                raise ValueError(f"tuning.max_jobs: Grid runs every combination ({combinations}); "
                                 "leave max_jobs out or set it to that number")
        if self.strategy == "Hyperband":
            if self.early_stopping != "Off":
                raise ValueError("tuning.early_stopping: Hyperband stops trials itself; it must be Off")
            if self.hyperband.min_resource > self.hyperband.max_resource:
                raise ValueError("tuning.hyperband: min_resource must not exceed max_resource")

    def metric(self, problem_type: str) -> str:
        return self.objective_metric or DEFAULT_OBJECTIVE[problem_type]

    def ranges(self, problem_type: str, estimator: str, fixed: Iterable[str] = ()) -> dict[str, Any]:
        """The given ranges, or the estimator's defaults less the hyperparameters the model fixes."""
        if self.parameter_ranges is not None:
            return self.parameter_ranges
        raw = default_ranges(estimator, problem_type, grid=self.strategy == "Grid")
        fixed = set(fixed)
        return {name: RANGE_ADAPTER.validate_python(spec) for name, spec in raw.items() if name not in fixed}

    def settings_block(self, *, problem_type: str, estimator: str, fixed: Iterable[str],
                       random_seed: int) -> dict[str, Any]:
        """`{"enabled": false}`, or `{"enabled": true, "config": <HyperParameterTuningJobConfig>}`."""
        if not self.enabled:
            return {"enabled": False}
        return {"enabled": True, "config": self.job_config(problem_type=problem_type, estimator=estimator,
                                                           fixed=fixed, random_seed=random_seed)}

    def job_config(self, *, problem_type: str, estimator: str, fixed: Iterable[str],
                   random_seed: int) -> dict[str, Any]:
        """SageMaker's HyperParameterTuningJobConfig for this model."""
        metric, ranges = self.metric(problem_type), self.ranges(problem_type, estimator, fixed)
        max_jobs = self.max_jobs or (math.prod(len(r.values) for r in ranges.values())
                                     if self.strategy == "Grid" else DEFAULT_MAX_JOBS)
        config: dict[str, Any] = {
            "Strategy": self.strategy,
            "HyperParameterTuningJobObjective": {"Type": self.objective_type or objective_type(metric),
                                                 "MetricName": metric},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": max_jobs,
                               "MaxParallelTrainingJobs": min(self.max_parallel_jobs, max_jobs)},
            "ParameterRanges": aws_ranges(ranges),
            "TrainingJobEarlyStoppingType": self.early_stopping,
            # SageMaker takes 0..2^31-1; the same seed gives the same search.
            "RandomSeed": random_seed % 2**31,
        }
        if self.strategy == "Hyperband":
            config["StrategyConfig"] = {"HyperbandStrategyConfig": {
                "MinResource": self.hyperband.min_resource, "MaxResource": self.hyperband.max_resource}}
        return config
