"""`mlops monitor run` runs the check on demand and says what it found; drift exits 4."""

from __future__ import annotations

from tests.e2e_monitoring.conftest import MODEL, SHIFTED


def test_monitor_run_prints_the_drift_and_exits_4(mlops, drifted):
    result = mlops("monitor", "run", MODEL)
    assert result.exit_code == 4, result.output
    assert "DRIFT" in result.output
    drifted_line = next(line for line in result.output.splitlines() if line.strip().startswith("drifted:"))
    assert all(feature in drifted_line for feature in SHIFTED)
    assert "report: s3://" in result.output
