"""`mlops demo` as a user sees it: exit codes and what it prints on failure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MLOPS = str(Path(sys.executable).with_name("mlops"))


def _demo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([MLOPS, "demo", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_bad_config_names_the_field_without_a_traceback(tmp_path):
    config = tmp_path / "bad.json"
    config.write_text(json.dumps({"models": [{"name": "m", "target": "y", "problem_type": "clustering"}]}))
    result = _demo("--config", str(config), cwd=tmp_path)
    assert result.returncode == 2
    assert "models[0].problem_type" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.e2e
def test_failed_run_exits_non_zero_naming_state_error_and_cause(tmp_path):
    data = tmp_path / "no-target.csv"
    data.write_text("island,bill_length_mm\nBiscoe,39.1\nDream,40.2\n")
    result = _demo("--data", str(data), "--timeout", "120", cwd=tmp_path)
    assert result.returncode == 1
    assert "failed state:  ValidateData" in result.stderr
    assert "error:         DataValidationFailed" in result.stderr
    assert "species" in result.stderr  # the cause names the missing target column
    assert "Traceback" not in result.stderr + result.stdout
