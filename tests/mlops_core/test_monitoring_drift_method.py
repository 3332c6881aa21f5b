"""monitoring.drift.method "wasserstein-js": the monitor judges drift by Evidently's distances
(Wasserstein / reference std, Jensen-Shannon) read from the same statistics, at the baseline
constraints' thresholds; the config, the settings document and the Processing job carry it."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

from mlops.config import ConfigError, parse_config
from mlops_core.monitoring import MonitoringError
from mlops_core.monitoring.settings import MonitorSettings
from sagemaker_jobs.monitor import parse_args
from tests.mlops_core.monitoring_captures import TARGET, baseline, csv_requests, training_frame
from tests.mlops_core.test_monitoring_drift import _check


def _evidently(frame):
    return _check(csv_requests(frame), drift_method="wasserstein-js")


def test_unshifted_traffic_is_not_drift_by_evidentlys_distances_either():
    report = _evidently(training_frame(800, seed=7))
    assert report.result["status"] == "ok" and report.result["drifted"] == []
    assert set(report.result["distances"]) == {"x", "y", "colour"}


def test_distances_are_evidentlys_and_flag_only_the_shifted_features():
    reference = training_frame()  # 1,000 rows, below the sketch size: both sides are exact
    frame = training_frame(600, seed=7)
    frame["y"] = frame["y"] * 1.3  # a change of spread
    frame["colour"] = frame["colour"].map({"red": "green", "green": "red", "blue": "blue"})
    report = _evidently(frame)
    assert report.result["drifted"] == ["y", "colour"]
    distances = report.result["distances"]
    assert distances["y"] == pytest.approx(
        wasserstein_distance(reference["y"], frame["y"]) / np.std(reference["y"]), rel=1e-9)
    counts = reference["colour"].value_counts(), frame["colour"].value_counts()
    assert distances["colour"] == pytest.approx(
        float(jensenshannon([counts[0][c] for c in ("red", "green", "blue")],
                            [counts[1][c] for c in ("red", "green", "blue")])), rel=1e-12)
    drift = [v for v in report.files["constraint_violations.json"]["violations"]
             if v["constraint_check_type"] == "baseline_drift_check"]
    assert [v["feature_name"] for v in drift] == ["y", "colour"]
    assert drift[0]["description"].endswith("exceeds threshold: 0.1")


def test_the_constraints_threshold_and_comparison_switch_apply():
    statistics, constraints = baseline()
    distribution = constraints["monitoring_config"]["distribution_constraints"]
    frame = training_frame(600, seed=7)
    frame["x"] = frame["x"] + 0.5
    lines = csv_requests(frame)
    assert _check(lines, drift_method="wasserstein-js", files=(statistics, constraints)).result["drifted"] == ["x"]
    distribution["comparison_threshold"] = 5.0
    distribution["categorical_comparison_threshold"] = 5.0
    assert _check(lines, drift_method="wasserstein-js", files=(statistics, constraints)).result["drifted"] == []
    distribution.update(comparison_threshold=0.1, perform_comparison="Disabled")
    report = _check(lines, drift_method="wasserstein-js", files=(statistics, constraints))
    assert report.result["drifted"] == [] and report.result["distances"]["x"] > 0.1


def test_an_unknown_method_is_named():
    with pytest.raises(ValueError, match="drift method must be one of model-monitor, wasserstein-js"):
        _check(csv_requests(training_frame(10)), drift_method="psi")


def _settings(drift):
    return {"model": "penguins", "target": TARGET, "problem_type": "classification",
            "serving": {"endpoint_name": "e", "variant_name": "v"}, "monitoring": {"drift": drift}}


def test_settings_read_the_method_with_model_monitor_as_default():
    assert MonitorSettings.from_settings(_settings({})).drift_method == "model-monitor"
    assert MonitorSettings.from_settings(_settings({"method": "wasserstein-js"})).drift_method == "wasserstein-js"
    with pytest.raises(MonitoringError, match="settings.monitoring.drift.method must be one of"):
        MonitorSettings.from_settings(_settings({"method": "psi"}))


def test_config_accepts_the_method_and_names_a_bad_one():
    entry = {"name": "penguins", "target": "species", "problem_type": "classification"}
    config = parse_config({"models": [{**entry, "monitoring": {"drift": {"method": "wasserstein-js"}}}]},
                          source="stage.json")
    document = config.models[0].settings_document(region="us-east-1", submit_directory="s3://b/k")
    assert document["monitoring"]["drift"]["method"] == "wasserstein-js"
    with pytest.raises(ConfigError, match="models\\[0\\].monitoring.drift.method"):
        parse_config({"models": [{**entry, "monitoring": {"drift": {"method": "psi"}}}]}, source="stage.json")


def test_the_processing_job_takes_the_method():
    required = ["--check=data-quality", "--model=m", "--endpoint=e", "--target=t", "--problem-type=regression",
                "--report=s3://b/r/", "--window-start=2026-11-27T10:00:00Z", "--window-end=2026-11-27T11:00:00Z"]
    assert parse_args(required).drift_method == "model-monitor"
    assert parse_args([*required, "--drift-method=wasserstein-js"]).drift_method == "wasserstein-js"
