"""`mlops demo --scenario drift` as a user sees it: every step of the loop printed, exit 0 only
when each happened; a model the scenario cannot show is refused before anything starts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

MLOPS = str(Path(sys.executable).with_name("mlops"))


def _config(tmp_path: Path, **model) -> Path:
    config = tmp_path / "drift.json"
    config.write_text(json.dumps({"stack_name": "MlopsDriftDemo", "models": [{
        "name": "penguins", "target": "species", "problem_type": "classification",
        "serving": {"strategy": "canary", "canary_percent": 25, "wait_interval_seconds": 5,
                    "termination_wait_seconds": 2, "max_execution_timeout_seconds": 600,
                    "alarms": {"period_seconds": 10, "evaluation_periods": 1, "error_threshold": 0,
                               "latency_p99_ms": 5000}},
        "monitoring": {"schedule_minutes": 5}, **model}]}))
    return config


def _demo(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([MLOPS, "demo", "--scenario", "drift", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def test_a_model_with_manual_approval_is_refused_before_anything_starts(tmp_path):
    result = _demo("--config", str(_config(tmp_path, approval="manual")), cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert "approval 'auto'" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert "embedded cloud listening" not in result.stdout


@pytest.mark.e2e
def test_the_drift_scenario_shows_every_step_of_the_loop(tmp_path):
    result = _demo("--config", str(_config(tmp_path)), "--timeout", "600", cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert re.search(r"running schedule MlopsDriftDemo-penguins-data-quality now\n.*OK: \d+ records", out)
    assert re.search(r"drifted: bill_length_mm \(distance 0\.\d+\)", out)
    assert re.search(r"drifted: island \(distance 0\.\d+\)", out)
    assert "ALARM: Threshold Crossed: 1 datapoint" in out
    assert re.search(r"alarm MlopsDriftDemo-penguins-drift started retraining rt-penguins-[0-9a-f]+", out)
    assert "retraining SUCCEEDED" in out
    assert "the new version's approval started deployment" in out
    assert out.count("deployment SUCCEEDED") == 2  # the first version's, then the retrained one's
    assert re.search(r"now serves it \(endpoint config penguins-[0-9a-f]+\)\.\s*$", out)
    assert "Traceback" not in out + result.stderr
