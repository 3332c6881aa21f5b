"""model_quality.json: the window's model-quality statistics in the layout of Model Monitor's
model-quality monitor (and of the pipeline's evaluation.json): a metrics section whose entries
are `{"value", "standard_deviation"}`."""

from __future__ import annotations

from mlops_core.monitoring.model_quality import QualityOutcome
from mlops_core.monitoring.request import Window, iso

# Our metric names -> Model Monitor's entry names.
_NAMES = {"accuracy": "accuracy", "f1": "weighted_f1", "rmse": "rmse", "mae": "mae"}


def quality_report(outcome: QualityOutcome, window: Window) -> dict:
    section = ("multiclass_classification_metrics" if outcome.problem_type == "classification"
               else "regression_metrics")
    return {
        "version": 0.0,
        "dataset": {"item_count": outcome.labelled, "evaluation_time": iso(window.end)},
        section: {_NAMES[name]: {"value": value, "standard_deviation": "NaN"} for name, value in outcome.metrics.items()},
        "problem_type": outcome.problem_type,
        "window": window.to_dict(),
        "captured_requests_with_inference_id": outcome.requests,
        "labels_not_matching_answers": outcome.mismatched,
    }
