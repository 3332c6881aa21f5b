"""The benchmark's data: 15 numeric and 5 categorical columns, generated deterministically.

A clean *reference* sample establishes the contract; the *batch* under test comes from the
same distributions plus five blatant problems (EXPECTED_FINDINGS), so every implementation
must flag exactly the same (check, column) pairs: that is how the benchmark proves the four
implementations run the same checks rather than four different amounts of work.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NUMERIC = [
    "age", "tenure_months", "monthly_charges", "total_charges", "num_logins_30d",
    "session_minutes", "support_tickets", "credit_score", "balance", "discount_pct",
    "latitude", "longitude", "days_since_last_purchase", "avg_order_value", "score_delta",
]
CATEGORICAL = ["plan", "region", "device", "payment_method", "referrer"]
COLUMNS = NUMERIC + CATEGORICAL

PLANS = ["basic", "standard", "premium", "enterprise"]
REGIONS = [f"{a}-{b}" for a in ("us", "eu", "ap") for b in ("north", "south", "east", "west")]
DEVICES = ["web", "ios", "android"]
PAYMENTS = ["card", "paypal", "bank_transfer", "direct_debit", "voucher"]
REFERRERS = [f"partner_{i:02d}" for i in range(30)]
UNSEEN_PLANS = ["trial", "legacy", "student", "family"]

# (check, column) pairs the batch must fail; the checks are the contract's five kinds.
EXPECTED_FINDINGS = frozenset({
    ("non_negative", "monthly_charges"),   # refunds booked as negative charges
    ("drift", "session_minutes"),          # the distribution moved (x1.6)
    ("completeness", "credit_score"),      # 30 % missing instead of 2 %
    ("domain", "plan"),                    # 25 % unseen plan names, mostly "trial"
    ("drift", "plan"),                     # ... which also moves the plan frequencies
})


def generate(rows: int, seed: int, anomalies: bool) -> pd.DataFrame:
    """One frame of `rows` rows; the same (rows, seed, anomalies) gives the same frame."""
    rng = np.random.default_rng(seed)
    data = {**_numeric(rng, rows), **_categorical(rng, rows)}
    frame = pd.DataFrame({name: data[name] for name in COLUMNS})
    if anomalies:
        _inject(frame, rng)
    return frame


def _numeric(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    tenure = rng.poisson(30, n)
    monthly = np.round(np.clip(rng.normal(65, 30, n), 5, None), 2)
    return {
        "age": np.clip(rng.normal(45, 15, n), 18, 90).astype(np.int64),
        "tenure_months": tenure,
        "monthly_charges": monthly,
        "total_charges": _with_gaps(rng, monthly * tenure * rng.uniform(0.9, 1.1, n), 0.01),
        "num_logins_30d": rng.poisson(12, n),
        "session_minutes": rng.lognormal(3, 0.6, n),
        "support_tickets": rng.poisson(0.8, n),
        "credit_score": _integral(_with_gaps(rng, np.clip(rng.normal(680, 60, n), 300, 850).round(), 0.02)),
        "balance": rng.normal(1200, 2500, n),
        "discount_pct": rng.uniform(0, 0.3, n),
        "latitude": rng.uniform(25, 49, n),
        "longitude": rng.uniform(-124, -67, n),
        "days_since_last_purchase": _integral(_with_gaps(rng, rng.exponential(20, n).round(), 0.05)),
        "avg_order_value": rng.lognormal(4, 0.5, n),
        "score_delta": rng.normal(0, 1, n),
    }


def _categorical(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "plan": _choice(rng, PLANS, [0.5, 0.3, 0.15, 0.05], n),
        "region": _choice(rng, REGIONS, _zipf(len(REGIONS)), n),
        "device": _choice(rng, DEVICES, [0.5, 0.3, 0.2], n),
        "payment_method": _choice(rng, PAYMENTS, [0.4, 0.25, 0.15, 0.15, 0.05], n),
        "referrer": _with_gaps(rng, _choice(rng, REFERRERS, _zipf(len(REFERRERS)), n), 0.03),
    }


def _inject(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    n = len(frame)
    refunds = rng.random(n) < 0.002
    frame.loc[refunds, "monthly_charges"] = -frame.loc[refunds, "monthly_charges"]
    frame["session_minutes"] = frame["session_minutes"] * 1.6
    frame.loc[rng.random(n) < 0.3, "credit_score"] = pd.NA
    unseen = rng.random(n) < 0.25
    frame.loc[unseen, "plan"] = rng.choice(UNSEEN_PLANS, int(unseen.sum()), p=[0.75, 0.15, 0.05, 0.05])


def _choice(rng: np.random.Generator, values: list[str], weights, n: int) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return np.asarray(values, dtype=object)[rng.choice(len(values), n, p=weights / weights.sum())]


def _zipf(k: int) -> np.ndarray:
    return 1.0 / np.arange(1, k + 1)


def _with_gaps(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    values = values.astype(object if values.dtype == object else float)
    values[rng.random(len(values)) < share] = None if values.dtype == object else np.nan
    return values


def _integral(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Whole numbers with gaps, written as `680` and an empty cell rather than `680.0`."""
    return pd.array(values, dtype="Int64")
