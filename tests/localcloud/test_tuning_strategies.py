"""The strategies propose values with real optimizers, honour the seed, and enumerate grids."""

from __future__ import annotations

import pytest
from moto.sagemaker.exceptions import ValidationError

from mlops.localcloud.tuning.space import parse_ranges
from mlops.localcloud.tuning.strategies import make_strategy

ONE_NUMBER = parse_ranges({"ContinuousParameterRanges": [{"Name": "x", "MinValue": "0", "MaxValue": "10"}]})
GRID = parse_ranges({"CategoricalParameterRanges": [{"Name": "a", "Values": ["1", "2", "3"]},
                                                    {"Name": "b", "Values": ["x", "y"]}]})


def _run(strategy, objective, trials):
    """Sequential ask/tell, as a tuning job with one parallel trial does."""
    seen = []
    for _ in range(trials):
        token, values = strategy.ask()
        value = objective(float(values["x"]))
        strategy.tell(token, value)
        seen.append((float(values["x"]), value))
    return seen


def test_the_same_seed_proposes_the_same_values():
    def proposals(seed):
        strategy = make_strategy("Random", ONE_NUMBER, maximize=True, seed=seed, max_jobs=5)
        return [strategy.ask()[1] for _ in range(5)]

    assert proposals(11) == proposals(11)
    assert proposals(11) != proposals(12)


def test_bayesian_search_homes_in_on_the_optimum_better_than_random():
    def distance_to_best(name):
        strategy = make_strategy(name, ONE_NUMBER, maximize=False, seed=5, max_jobs=30)
        seen = _run(strategy, lambda x: (x - 7.3) ** 2, 30)
        return sorted(abs(x - 7.3) for x, _ in seen[-10:])[5]  # median of the last ten proposals

    assert distance_to_best("Bayesian") < distance_to_best("Random")
    assert distance_to_best("Bayesian") < 1.0


def test_a_failed_trial_is_told_without_a_value():
    strategy = make_strategy("Bayesian", ONE_NUMBER, maximize=True, seed=1, max_jobs=4)
    token, _ = strategy.ask()
    strategy.tell(token, None)
    token, values = strategy.ask()
    assert 0 <= float(values["x"]) <= 10


def test_grid_proposes_every_combination_once_then_nothing():
    strategy = make_strategy("Grid", GRID, maximize=True, seed=None, max_jobs=6)
    points = []
    while (proposal := strategy.ask()) is not None:
        points.append(tuple(sorted(proposal[1].items())))
    assert len(points) == len(set(points)) == 6


def test_grid_refuses_numeric_ranges():
    with pytest.raises(ValidationError, match="CategoricalParameterRanges only"):
        make_strategy("Grid", ONE_NUMBER, maximize=True, seed=None, max_jobs=3)


def test_hyperband_is_refused_with_the_reason():
    with pytest.raises(ValidationError, match="Hyperband is not supported by the embedded cloud"):
        make_strategy("Hyperband", ONE_NUMBER, maximize=True, seed=None, max_jobs=3)
