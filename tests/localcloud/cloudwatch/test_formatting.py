"""Numbers and times as CloudWatch (a Java service) writes them in alarm reasons."""

from __future__ import annotations

import pytest

from mlops.localcloud.cloudwatch.formatting import java_double, json_time, reason_time


@pytest.mark.parametrize("value, text", [
    (3, "3.0"), (0.25, "0.25"), (0.0, "0.0"), (1234567.0, "1234567.0"), (99.50160229693434, "99.50160229693434"),
    (1e7, "1.0E7"), (12345678.9, "1.23456789E7"), (0.0001, "1.0E-4"), (-2.5e-5, "-2.5E-5"), (0.001, "0.001"),
])
def test_java_double(value, text):
    assert java_double(value) == text


def test_times():
    assert json_time(1796218230.25) == "2026-12-02T13:30:30.250+0000"
    assert reason_time(1796218230.25) == "02/12/26 13:30:30"
