"""Datasets for the registry tests: a classification problem hard enough that a model trained
on little data is really worse than one trained on plenty (no faked metrics)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

PLENTY = 2000  # rows the champion learns from
LITTLE = 150   # fresh rows of the same problem the worse challenger learns from
# Six informative of 30 features, three clusters per class: 120 training rows cannot find the
# structure 1600 rows do. Everything downstream is seeded, so the outcome is fixed: measured
# with the pipeline's own split and estimator, the challenger scores 0.7 and the champion 0.87
# on the challenger's 30 test rows (a margin of 5 rows; the gate's threshold is 0.5).
SEED = 6


def churn_rows(seed: int = SEED) -> pd.DataFrame:
    X, y = make_classification(n_samples=PLENTY + LITTLE, n_features=30, n_informative=6, n_redundant=0,
                               n_clusters_per_class=3, class_sep=0.8, flip_y=0.0, random_state=seed)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])]).round(4)
    frame["churned"] = np.where(y == 1, "yes", "no")
    return frame


def plenty_csv() -> bytes:
    return churn_rows().iloc[:PLENTY].to_csv(index=False).encode()


def little_csv() -> bytes:
    """Rows the champion never saw, so re-scoring it on them is fair."""
    return churn_rows().iloc[PLENTY:].to_csv(index=False).encode()
