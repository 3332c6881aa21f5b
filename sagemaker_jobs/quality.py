"""Model-quality numbers: training-log metrics and the Model Monitor evaluation sections.

Binary metrics treat the second class in sorted order as positive, the column scikit-learn's
`predict_proba(...)[:, 1]` scores ("1" of "0"/"1", "yes" of "no"/"yes").
"""
from __future__ import annotations

import math

import numpy as np
from sklearn import metrics


def score(problem_type: str, y_true, y_pred) -> dict[str, float]:
    """Metrics for the training log. F1 is support-weighted so it is defined for any labels."""
    if problem_type == "classification":
        return {
            "accuracy": metrics.accuracy_score(y_true, y_pred),
            "f1": metrics.f1_score(y_true, y_pred, average="weighted", zero_division=0),
        }
    return {
        "rmse": math.sqrt(metrics.mean_squared_error(y_true, y_pred)),
        "mae": metrics.mean_absolute_error(y_true, y_pred),
        "r2": metrics.r2_score(y_true, y_pred),
    }


def _metric(value: float) -> dict:
    # Model Monitor's shape; no bootstrap is run, so the deviation is "NaN" as in contracts.md.
    return {"value": float(value), "standard_deviation": "NaN"}


def confusion(y_true, y_pred, labels: list[str]) -> dict[str, dict[str, int]]:
    matrix = metrics.confusion_matrix(y_true, y_pred, labels=labels)
    return {
        actual: {predicted: int(matrix[i, j]) for j, predicted in enumerate(labels)}
        for i, actual in enumerate(labels)
    }


def regression_section(y_true, y_pred) -> tuple[str, dict]:
    mse = metrics.mean_squared_error(y_true, y_pred)
    return "regression_metrics", {
        "mae": _metric(metrics.mean_absolute_error(y_true, y_pred)),
        "mse": _metric(mse),
        "rmse": _metric(math.sqrt(mse)),
        "r2": _metric(metrics.r2_score(y_true, y_pred)),
    }


def classification_section(y_true, y_pred, classes: list[str], probabilities=None):
    """Binary section for two classes, multiclass otherwise. `probabilities` (rows x classes,
    columns in `classes` order) adds ROC AUC where it is defined."""
    labels = list(classes) + sorted(set(y_true) - set(classes))  # test labels unseen in training
    # Binary metrics need every test label to be one of the two trained classes; a label the
    # model never saw makes it a multiclass question.
    if len(classes) == 2 and len(labels) == 2:
        positive = classes[1]
        positive_scores = None if probabilities is None else np.asarray(probabilities)[:, 1]
        section = {
            "accuracy": _metric(metrics.accuracy_score(y_true, y_pred)),
            "precision": _metric(metrics.precision_score(
                y_true, y_pred, pos_label=positive, average="binary", zero_division=0)),
            "recall": _metric(metrics.recall_score(
                y_true, y_pred, pos_label=positive, average="binary", zero_division=0)),
            "f1": _metric(metrics.f1_score(
                y_true, y_pred, pos_label=positive, average="binary", zero_division=0)),
        }
        truth = np.asarray(y_true) == positive
        # AUC needs both classes in the test split; otherwise it is left out, not faked.
        if positive_scores is not None and 0 < truth.sum() < len(truth):
            section["auc"] = _metric(metrics.roc_auc_score(truth, positive_scores))
        section["confusion_matrix"] = confusion(y_true, y_pred, labels)
        return "binary_classification_metrics", section
    weighted = {"average": "weighted", "zero_division": 0}
    section = {
        "accuracy": _metric(metrics.accuracy_score(y_true, y_pred)),
        "weighted_precision": _metric(metrics.precision_score(y_true, y_pred, **weighted)),
        "weighted_recall": _metric(metrics.recall_score(y_true, y_pred, **weighted)),
        "weighted_f1": _metric(metrics.f1_score(y_true, y_pred, **weighted)),
    }
    auc = None if probabilities is None else one_vs_rest_auc(y_true, probabilities, classes)
    if auc is not None:
        section["weighted_auc"] = _metric(auc)
    section["confusion_matrix"] = confusion(y_true, y_pred, labels)
    return "multiclass_classification_metrics", section


def one_vs_rest_auc(y_true, probabilities, classes: list[str]) -> float | None:
    """ROC AUC of each class against the rest, averaged with the classes' test support as
    weights (scikit-learn's multi_class="ovr", average="weighted"). A class is left out when
    the test split does not hold both it and another class; a label the model never saw
    counts against every class (no column scores it). None when no class qualifies."""
    truth = np.asarray(y_true, dtype=object)
    scores = np.asarray(probabilities)
    aucs, weights = [], []
    for column, label in enumerate(classes):
        positives = truth == label
        if 0 < positives.sum() < len(truth):
            aucs.append(metrics.roc_auc_score(positives, scores[:, column]))
            weights.append(positives.sum())
    return float(np.average(aucs, weights=weights)) if aucs else None
