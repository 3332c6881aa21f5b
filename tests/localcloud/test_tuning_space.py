"""ParameterRanges are checked as SageMaker checks them and sampled as strings in range."""

from __future__ import annotations

import math

import optuna
import pytest
from moto.sagemaker.exceptions import ValidationError

from mlops.localcloud.tuning.space import parse_ranges


def _samples(space, count=200, seed=3):
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed))
    return [{p.name: p.suggest(trial) for p in space.parameters}
            for trial in (study.ask() for _ in range(count))]


RANGES = {
    "IntegerParameterRanges": [{"Name": "n", "MinValue": "2", "MaxValue": "9", "ScalingType": "Auto"}],
    "ContinuousParameterRanges": [
        {"Name": "lr", "MinValue": "0.0001", "MaxValue": "1", "ScalingType": "Logarithmic"},
        {"Name": "momentum", "MinValue": "0.9", "MaxValue": "0.9999", "ScalingType": "ReverseLogarithmic"},
    ],
    "CategoricalParameterRanges": [{"Name": "kind", "Values": ["a", "b"]}],
}


def test_values_are_strings_inside_their_ranges():
    for values in _samples(parse_ranges(RANGES)):
        assert all(isinstance(v, str) for v in values.values())
        assert 2 <= int(values["n"]) <= 9
        assert 0.0001 <= float(values["lr"]) <= 1
        assert 0.9 <= float(values["momentum"]) <= 0.9999
        assert values["kind"] in ("a", "b")


def test_logarithmic_scaling_spreads_over_orders_of_magnitude():
    decades = {math.floor(math.log10(float(v["lr"]))) for v in _samples(parse_ranges(RANGES))}
    assert decades >= {-4, -3, -2, -1}  # a linear scale would put ~99% above 0.01


def test_reverse_logarithmic_scaling_crowds_towards_one():
    values = [float(v["momentum"]) for v in _samples(parse_ranges(RANGES))]
    assert sum(v > 0.99 for v in values) > len(values) / 3  # linear: under 10%


@pytest.mark.parametrize(("ranges", "message"), [
    ({}, "at least one hyperparameter"),
    ({"IntegerParameterRanges": [{"Name": "n", "MinValue": "5", "MaxValue": "2"}]}, "greater than MaxValue"),
    ({"IntegerParameterRanges": [{"Name": "n", "MinValue": "x", "MaxValue": "2"}]}, "must be integer numbers"),
    ({"ContinuousParameterRanges": [{"Name": "c", "MinValue": "0", "MaxValue": "2", "ScalingType": "Logarithmic"}]},
     "Logarithmic scaling needs MinValue > 0"),
    ({"ContinuousParameterRanges": [{"Name": "c", "MinValue": "0.5", "MaxValue": "2",
                                     "ScalingType": "ReverseLogarithmic"}]}, "MaxValue < 1"),
    ({"IntegerParameterRanges": [{"Name": "n", "MinValue": "1", "MaxValue": "2", "ScalingType": "ReverseLogarithmic"}]},
     "not valid for a integer range"),
    ({"CategoricalParameterRanges": [{"Name": "k", "Values": []}]}, "between 1 and 30 Values"),
    ({"CategoricalParameterRanges": [{"Name": "k", "Values": ["a"]}, {"Name": "k", "Values": ["b"]}]},
     "k more than once"),
])
def test_bad_ranges_are_refused_naming_the_problem(ranges, message):
    with pytest.raises(ValidationError, match=message):
        parse_ranges(ranges)
