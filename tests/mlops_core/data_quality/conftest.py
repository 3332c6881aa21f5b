import numpy as np
import pandas as pd
import pytest


def feature(statistics: dict, name: str) -> dict:
    return next(item for item in statistics["features"] if item["name"] == name)


@pytest.fixture
def tiny() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1, 2, 3, 4, None],
            "y": [0.5, 1.5, None, None, 2.0],
            "c": ["a", "b", "a", None, "a"],
        }
    )


@pytest.fixture
def customers() -> pd.DataFrame:
    """A baseline-sized frame: numbers, a non-negative amount, a small-domain category, an id."""
    rng = np.random.default_rng(7)
    n = 2000
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": rng.lognormal(10, 0.5, n).round(2),
            "balance": rng.normal(0, 100, n),
            "plan": rng.choice(["basic", "plus", "pro"], n, p=[0.6, 0.3, 0.1]),
            "customer_id": [f"id-{i}" for i in range(n)],
        }
    )
