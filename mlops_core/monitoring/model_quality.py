"""The model-quality check of a window: captured predictions joined to ground truth by inferenceId.

A request carries its caller's `InferenceId` in `eventMetadata.inferenceId`; a label names it
as `eventId`. Requests without an inferenceId or without a label yet are not counted (labels
arrive late and partly); a label holding one value per row of a multi-row request labels each
row. Fewer joined rows than ``min_labels`` -> no verdict (status no-data), never a score of
a handful of rows.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from mlops_core.data_capture import CapturedRequest, predictions
from mlops_core.monitoring.ground_truth import GroundTruth
from mlops_core.monitoring.quality_metrics import (
    HIGHER_IS_BETTER,
    classification_metrics,
    regression_metrics,
)

MAX_EXAMPLES = 5


@dataclass
class QualityOutcome:
    problem_type: str
    requests: int = 0  # captured requests of the window with an inferenceId
    labelled: int = 0  # rows joined to a label
    mismatched: int = 0  # joined requests whose label does not fit the answer (count of rows, not numbers)
    metrics: dict[str, float] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def reject(self, reason: str) -> None:
        self.mismatched += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(reason)


def check_model_quality(requests: Iterable[CapturedRequest], truth: GroundTruth, *, problem_type: str,
                        min_labels: int) -> QualityOutcome:
    outcome = QualityOutcome(problem_type)
    actual: list[str] = []
    guessed: list[str] = []
    for request in requests:
        if request.inference_id is None:
            continue
        outcome.requests += 1
        label = truth.labels.get(request.inference_id)
        if label is None or request.output is None:
            continue
        pairs = _pairs(request, label, outcome)
        actual += [pair[0] for pair in pairs]
        guessed += [pair[1] for pair in pairs]
    outcome.labelled = len(actual)
    if outcome.labelled >= max(1, min_labels):
        outcome.metrics = _score(actual, guessed, outcome)
    return outcome


def _pairs(request: CapturedRequest, label: str, outcome: QualityOutcome) -> list[tuple[str, str]]:
    try:
        answers = predictions(request.output)
    except ValueError as error:
        outcome.reject(f"inference {request.inference_id}: the captured answer cannot be read: {error}")
        return []
    labels = [label] if len(answers) == 1 else next(csv.reader(io.StringIO(label)), [])
    if len(labels) != len(answers):
        outcome.reject(f"inference {request.inference_id}: {len(answers)} predictions but {len(labels)} label(s)")
        return []
    return [(truth.strip(), answer) for truth, answer in zip(labels, answers)]


def _score(actual: list[str], guessed: list[str], outcome: QualityOutcome) -> dict[str, float]:
    if outcome.problem_type == "classification":
        return classification_metrics(actual, guessed)
    truth, predicted = [], []
    for expected, answer in zip(actual, guessed):
        try:
            pair = float(expected), float(answer)
        except ValueError:
            outcome.reject(f"not a number: label {expected!r}, prediction {answer!r}")
            continue
        if all(math.isfinite(value) for value in pair):
            truth.append(pair[0])
            predicted.append(pair[1])
    return regression_metrics(truth, predicted) if truth else {}


def breaches(metrics: dict[str, float], metric: str, threshold: float | None) -> bool:
    """True when the configured metric is worse than its threshold (as the alarm judges it)."""
    if threshold is None or metric not in metrics:
        return False
    value = metrics[metric]
    return value < threshold if HIGHER_IS_BETTER[metric] else value > threshold
