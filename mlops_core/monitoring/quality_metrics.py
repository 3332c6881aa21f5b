"""Model-quality metrics with numpy only (scikit-learn is not in the Lambda layer).

Definitions are scikit-learn's (the tests compare with it): accuracy = share of exact matches;
weighted F1 = per-class F1 weighted by the class's support among the true labels, a class never
predicted nor present scoring 0 (`zero_division=0`); RMSE and MAE of numbers.
"""

from __future__ import annotations

import numpy as np

CLASSIFICATION_METRICS = ("accuracy", "f1")
REGRESSION_METRICS = ("rmse", "mae")
HIGHER_IS_BETTER = {"accuracy": True, "f1": True, "rmse": False, "mae": False}


def classification_metrics(truth: list[str], predicted: list[str]) -> dict[str, float]:
    y_true, y_pred = np.asarray(truth, dtype=object), np.asarray(predicted, dtype=object)
    classes, true_index = np.unique(y_true.astype(str), return_inverse=True)
    pred_index = np.searchsorted(classes, y_pred.astype(str))
    known = (pred_index < len(classes)) & (classes[np.minimum(pred_index, len(classes) - 1)] == y_pred.astype(str))
    correct = known & (pred_index == true_index)
    support = np.bincount(true_index, minlength=len(classes)).astype(float)
    true_positive = np.bincount(true_index[correct], minlength=len(classes)).astype(float)
    predicted_count = np.bincount(pred_index[known], minlength=len(classes)).astype(float)
    # F1 = 2 TP / (support + predicted); 0 where both are 0 (sklearn's zero_division=0)
    denominator = support + predicted_count
    f1 = np.divide(2 * true_positive, denominator, out=np.zeros_like(denominator), where=denominator > 0)
    return {"accuracy": float(correct.mean()), "f1": float(np.sum(f1 * support) / support.sum())}


def regression_metrics(truth: list[float], predicted: list[float]) -> dict[str, float]:
    error = np.asarray(predicted, dtype=float) - np.asarray(truth, dtype=float)
    return {"rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error)))}
