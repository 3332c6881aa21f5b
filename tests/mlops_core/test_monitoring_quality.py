"""Model quality: numpy metrics equal scikit-learn's; predictions joined to late and partial
ground truth by inferenceId; too few labels -> no-data."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
)

from mlops_core.monitoring import Target, model_quality_check
from mlops_core.monitoring.ground_truth import read_ground_truth
from mlops_core.monitoring.quality_metrics import (
    classification_metrics,
    regression_metrics,
)
from mlops_core.monitoring.request import Window
from tests.mlops_core.monitoring_captures import capture_line, ground_truth_line, named

WINDOW = Window(datetime(2026, 11, 27, 10, tzinfo=UTC), datetime(2026, 11, 27, 11, tzinfo=UTC))
TARGET_INFO = Target("penguins", "MlopsStack-penguins", WINDOW, "s3://artifacts/monitoring/x/")


@pytest.mark.parametrize("seed", range(5))
def test_classification_metrics_equal_sklearn(seed):
    rng = np.random.default_rng(seed)
    truth = list(rng.choice(["a", "b", "c", "d"], 200, p=[0.5, 0.3, 0.15, 0.05]))
    predicted = list(rng.choice(["a", "b", "c", "e"], 200))  # 'd' never predicted, 'e' never true
    ours = classification_metrics(truth, predicted)
    assert ours["accuracy"] == pytest.approx(accuracy_score(truth, predicted))
    assert ours["f1"] == pytest.approx(f1_score(truth, predicted, average="weighted", zero_division=0))


def test_regression_metrics_equal_sklearn():
    rng = np.random.default_rng(1)
    truth, predicted = rng.normal(size=100), rng.normal(size=100)
    ours = regression_metrics(list(truth), list(predicted))
    assert ours["rmse"] == pytest.approx(np.sqrt(mean_squared_error(truth, predicted)))
    assert ours["mae"] == pytest.approx(mean_absolute_error(truth, predicted))


def _captures(predictions):
    return named([capture_line("1,2,red", inference_id=f"i{n}", event_id=f"e{n}", prediction=p)
                  for n, p in enumerate(predictions)])


def test_late_and_partial_labels_join_by_inference_id():
    captures = _captures(["a", "a", "b", "b", "a"])
    first = read_ground_truth(named([ground_truth_line("i0", "a"), ground_truth_line("i1", "b")], "day1.jsonl"))
    later = read_ground_truth(named(["inference_id,label", "i2,b", "i3,a", "unknown,a"], "day2.csv"), first)
    report = model_quality_check(captures, later, TARGET_INFO, problem_type="classification", metric="accuracy",
                                 threshold=0.8, min_labels=3)
    assert report.result["records"] == 4
    assert report.result["metrics"]["accuracy"] == 0.5
    assert report.result["status"] == "degraded"
    assert report.files["model_quality.json"]["multiclass_classification_metrics"]["accuracy"]["value"] == 0.5
    namespaces = {d["MetricName"] for d in report.metric_data}
    assert namespaces == {"accuracy", "f1", "labelled_records"}
    assert report.namespace == "aws/sagemaker/Endpoints/model-metrics"


def test_fewer_labels_than_min_labels_is_no_data():
    truth = read_ground_truth(named([ground_truth_line("i0", "a")]))
    report = model_quality_check(_captures(["a", "b"]), truth, TARGET_INFO, problem_type="classification",
                                 metric="accuracy", threshold=0.8, min_labels=2)
    assert report.result["status"] == "no-data"
    assert [d["MetricName"] for d in report.metric_data] == ["labelled_records"]


def test_bad_ground_truth_lines_are_counted():
    truth = read_ground_truth(named(["{bad", '{"eventMetadata": {}}', ground_truth_line("i0", "a")]))
    assert truth.labels == {"i0": "a"} and truth.unparseable == 2
