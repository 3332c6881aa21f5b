"""Pearson's chi-square goodness-of-fit p-value, for the ``ChiSquared`` categorical drift method.

Follows Deequ's ``Distance.categoricalChiSquareTest``: only categories listed in the baseline
count; their shares are scaled to the current total of those categories; small expected categories are merged
(smallest into the next smallest) until the usual validity rules hold, i.e. for two
categories every expected count is at least 10 (Cochran 1952), for more categories at most
20% of expected counts are below 5 (Yates, Moore & McCabe 1999). With fewer than two
categories left the test is not defined and the p-value is 1.0 (no evidence of drift).

The chi-square survival function is the regularized upper incomplete gamma function Q(k/2,
x/2), computed with the series / continued fraction of Numerical Recipes (6.2), because the
core may only use numpy and pandas.
"""

from __future__ import annotations

import math

_COCHRAN_MIN = 10.0
_YATES_MIN = 5.0
_YATES_SHARE = 0.2


def chi_square_p_value(observed: dict[str, float], expected_shares: dict[str, float]) -> float:
    total = sum(observed.get(value, 0.0) for value in expected_shares)
    listed = sum(expected_shares.values())  # below 1 when the baseline lists only its top values
    if total <= 0 or listed <= 0:
        return 1.0
    expected = {value: share / listed * total for value, share in expected_shares.items() if share > 0}
    sample = {value: observed.get(value, 0.0) for value in expected}
    _regroup(sample, expected)
    if len(expected) < 2:
        return 1.0
    statistic = sum((sample[value] - count) ** 2 / count for value, count in expected.items())
    return _chi2_survival(statistic, len(expected) - 1)


def _regroup(sample: dict[str, float], expected: dict[str, float]) -> None:
    while len(expected) >= 2:
        if len(expected) == 2:
            minimum, allowed_below = _COCHRAN_MIN, 0
        else:
            minimum, allowed_below = _YATES_MIN, int(_YATES_SHARE * len(expected))
        if sum(1 for count in expected.values() if count < minimum) <= allowed_below:
            return
        smallest = min(expected, key=expected.__getitem__)
        moved, moved_sample = expected.pop(smallest), sample.pop(smallest)
        second = min(expected, key=expected.__getitem__)
        expected[second] += moved
        sample[second] += moved_sample


def _chi2_survival(statistic: float, degrees: int) -> float:
    return _gamma_q(degrees / 2.0, statistic / 2.0)


def _gamma_q(a: float, x: float) -> float:
    if x <= 0:
        return 1.0
    if x < a + 1.0:
        return max(0.0, 1.0 - _gamma_p_series(a, x))
    return _gamma_q_fraction(a, x)


def _gamma_p_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    denominator = a
    for _ in range(1000):
        denominator += 1.0
        term *= x / denominator
        total += term
        if abs(term) < abs(total) * 1e-15:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_q_fraction(a: float, x: float) -> float:
    # Modified Lentz's method for the continued fraction of Q(a, x).
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h
