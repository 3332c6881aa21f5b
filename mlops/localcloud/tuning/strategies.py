"""How a tuning job picks the next trial's values, per HyperParameterTuningJobConfig.Strategy.

- Bayesian: optuna's TPE sampler (a sequential model-based Bayesian optimizer). SageMaker
  uses a Gaussian-process model; TPE is the well-kept optimizer that runs here without torch.
  `constant_liar` keeps parallel trials from piling onto the same point.
- Random: optuna's random sampler.
- Grid: every combination of the categorical values, once, in scikit-learn's ParameterGrid order.
- Hyperband needs per-epoch objective values to stop trials; refused by `make_strategy`.

All take HyperParameterTuningJobConfig.RandomSeed, so the same seed proposes the same values.
"""

from __future__ import annotations

import logging

import optuna
from moto.sagemaker.exceptions import ValidationError
from optuna.trial import TrialState
from sklearn.model_selection import ParameterGrid

from mlops.localcloud.tuning.space import SearchSpace

optuna.logging.set_verbosity(logging.WARNING)


class Strategy:
    """ask() -> (token, {name: value string}) or None when there is nothing left to try;
    tell(token, objective value or None for a trial without one)."""

    def ask(self):
        raise NotImplementedError

    def tell(self, token, value: float | None) -> None:
        raise NotImplementedError


class OptunaStrategy(Strategy):
    def __init__(self, space: SearchSpace, sampler: optuna.samplers.BaseSampler, maximize: bool) -> None:
        self.space = space
        self.study = optuna.create_study(sampler=sampler, direction="maximize" if maximize else "minimize")

    def ask(self):
        trial = self.study.ask()
        return trial, {p.name: p.suggest(trial) for p in self.space.parameters}

    def tell(self, token, value: float | None) -> None:
        if value is None:
            self.study.tell(token, state=TrialState.FAIL)
        else:
            self.study.tell(token, value)


class GridStrategy(Strategy):
    def __init__(self, space: SearchSpace) -> None:
        self._points = iter(ParameterGrid(space.grid()))

    def ask(self):
        point = next(self._points, None)
        return None if point is None else (None, dict(point))

    def tell(self, token, value: float | None) -> None:
        pass  # a grid is fixed in advance


def grid_size(space: SearchSpace) -> int:
    return len(ParameterGrid(space.grid()))


def make_strategy(name: str, space: SearchSpace, *, maximize: bool, seed: int | None, max_jobs: int) -> Strategy:
    if name == "Bayesian":
        # TPE models the results only after its random start-up trials; SageMaker's Bayesian
        # search also starts at random. Half the budget (2..10 trials) leaves room for both.
        startup = max(2, min(10, max_jobs // 2))
        sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup, constant_liar=True)
        return OptunaStrategy(space, sampler, maximize)
    if name == "Random":
        return OptunaStrategy(space, optuna.samplers.RandomSampler(seed=seed), maximize)
    if name == "Grid":
        if not space.all_categorical:
            raise ValidationError("The Grid strategy takes CategoricalParameterRanges only")
        return GridStrategy(space)
    if name == "Hyperband":
        raise ValidationError("Strategy Hyperband is not supported by the embedded cloud: it stops trials on "
                              "per-epoch objective values, which local trials do not report. Use Bayesian, "
                              "Random or Grid locally.")
    raise ValidationError(f"Strategy {name!r} is not one of Bayesian, Random, Grid, Hyperband")
