"""monitor.py, the Processing job of large windows: the same check on local input folders,
reports and result.json (with the datapoints) in the output folder."""

from __future__ import annotations

import json

from sagemaker_jobs import monitor
from tests.mlops_core.monitoring_captures import (
    baseline,
    capture_line,
    csv_requests,
    ground_truth_line,
    training_frame,
)

WINDOW = ["--window-start=2026-11-27T10:00:00Z", "--window-end=2026-11-27T11:00:00Z"]


def _args(tmp_path, check: str, *extra: str) -> list[str]:
    return [f"--check={check}", "--model=penguins", "--endpoint=MlopsStack-penguins", "--target=label",
            "--problem-type=classification", "--report=s3://artifacts/monitoring/r/", *WINDOW,
            f"--capture-dir={tmp_path / 'capture'}", f"--statistics-dir={tmp_path / 'statistics'}",
            f"--constraints-dir={tmp_path / 'constraints'}", f"--ground-truth-dir={tmp_path / 'truth'}",
            f"--output-dir={tmp_path / 'out'}", f"--message-file={tmp_path / 'message'}", *extra]


def _write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_data_quality_job_writes_reports_and_datapoints(tmp_path):
    statistics, constraints = baseline()
    _write(tmp_path / "statistics" / "statistics.json", json.dumps(statistics))
    _write(tmp_path / "constraints" / "constraints.json", json.dumps(constraints))
    frame = training_frame(300, seed=7)
    frame["colour"] = frame["colour"].map({"red": "green", "green": "red", "blue": "blue"})
    _write(tmp_path / "capture" / "0" / "x.jsonl", "\n".join(csv_requests(frame)))
    assert monitor.main(_args(tmp_path, "data-quality")) == 0
    result = json.loads((tmp_path / "out" / "result.json").read_text())
    assert result["status"] == "drift" and result["drifted"] == ["colour"]
    assert result["namespace"] == "aws/sagemaker/Endpoints/data-metrics"
    assert {d["MetricName"] for d in result["metric_data"]} >= {"feature_baseline_drift_colour", "drifted_feature_share"}
    assert (tmp_path / "out" / "constraint_violations.json").exists()


def test_model_quality_job(tmp_path):
    lines = [capture_line("1,2,red", inference_id=f"i{n}", event_id=f"e{n}", prediction="a") for n in range(4)]
    _write(tmp_path / "capture" / "0" / "x.jsonl", "\n".join(lines))
    _write(tmp_path / "truth" / "t.jsonl", "\n".join(ground_truth_line(f"i{n}", "ab"[n % 2]) for n in range(4)))
    assert monitor.main(_args(tmp_path, "model-quality", "--min-labels=2", "--threshold=0.9")) == 0
    result = json.loads((tmp_path / "out" / "result.json").read_text())
    assert result["status"] == "degraded" and result["metrics"]["accuracy"] == 0.5


def test_a_missing_baseline_fails_the_job_naming_it(tmp_path):
    assert monitor.main(_args(tmp_path, "data-quality")) == 1
    assert "No statistics in" in (tmp_path / "message").read_text()
