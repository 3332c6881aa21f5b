"""An endpoint nobody has called yet: the checks say "no data", never "no drift"."""

from __future__ import annotations

from tests.e2e_monitoring.conftest import DATA_METRICS, DATA_QUALITY, DRIFT_ALARM, MODEL_QUALITY


def test_an_empty_window_reports_no_data_and_puts_no_drift_metrics(monitoring, deployed):
    result = monitoring.run_schedule(DATA_QUALITY)
    assert (result["status"], result["records"], result["drifted"]) == ("no-data", 0, [])
    assert result["model_package"] == deployed
    assert monitoring.maximum(DATA_METRICS, "drifted_feature_share", DATA_QUALITY) is None
    assert monitoring.alarm(DRIFT_ALARM)["StateValue"] != "ALARM"


def test_model_quality_without_labels_reports_no_data(monitoring, deployed):
    result = monitoring.run_schedule(MODEL_QUALITY)
    assert result["status"] == "no-data"
