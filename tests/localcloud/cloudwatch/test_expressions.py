"""Metric math: arithmetic over time series, FILL, and Unsupported naming what is not supported."""

from __future__ import annotations

import pytest

from mlops.localcloud.cloudwatch.errors import Unsupported
from mlops.localcloud.cloudwatch.expressions import evaluate, parse

PERIODS = [0.0, 10.0, 20.0]
SERIES = {"errors": {0.0: 2.0, 10.0: 4.0}, "invocations": {0.0: 4.0, 10.0: 0.0, 20.0: 8.0}}


def run(expression: str):
    return evaluate(parse(expression), resolve=SERIES.__getitem__, periods=PERIODS)


@pytest.mark.parametrize("expression, expected", [
    ("errors / invocations", {0.0: 0.5}),  # 10.0 divides by zero, 20.0 has no errors
    ("100 * errors / invocations", {0.0: 50.0}),
    ("FILL(errors, 0) / invocations", {0.0: 0.5, 20.0: 0.0}),
    ("-errors + 1", {0.0: -1.0, 10.0: -3.0}),
    ("ABS(1 - errors) ^ 2", {0.0: 1.0, 10.0: 9.0}),
    ("(errors + invocations) * 2", {0.0: 12.0, 10.0: 8.0}),
    ("2 ^ 3", 8.0),
])
def test_supported_expressions(expression, expected):
    assert run(expression) == expected


@pytest.mark.parametrize("expression, words", [
    ("FILL(errors, REPEAT)", "FILL with REPEAT"),
    ("RATE(errors)", "function RATE"),
    ("SELECT AVG(CPUUtilization) FROM SCHEMA(\"AWS/EC2\")", "Metrics Insights"),
    ("errors +", "expected more"),
    ("errors $ 2", "unexpected '$'"),
])
def test_unsupported_expressions_are_named(expression, words):
    with pytest.raises(Unsupported) as raised:
        run(expression)
    assert words in str(raised.value)
