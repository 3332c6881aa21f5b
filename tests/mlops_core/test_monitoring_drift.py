"""The data-quality check of a capture window: drift flagged for a real shift, not for noise;
no data is not "no drift"; datapoints and reports in Model Monitor's names and formats."""

from __future__ import annotations

from datetime import UTC, datetime

from mlops_core.monitoring import Target, data_quality_check
from mlops_core.monitoring.metric_data import drift_metric_name
from mlops_core.monitoring.request import Window
from tests.mlops_core.monitoring_captures import (
    TARGET,
    baseline,
    csv_requests,
    named,
    training_frame,
)

WINDOW = Window(datetime(2026, 11, 27, 10, tzinfo=UTC), datetime(2026, 11, 27, 11, tzinfo=UTC))
TARGET_INFO = Target("penguins", "MlopsStack-penguins", WINDOW, "s3://artifacts/monitoring/x/")


def _check(lines, **kwargs):
    statistics, constraints = kwargs.pop("files", None) or baseline()
    return data_quality_check(named(lines), TARGET_INFO, baseline=statistics, constraints=constraints,
                              label=TARGET, **kwargs)


def test_unshifted_traffic_of_a_few_hundred_requests_is_not_drift():
    report = _check(csv_requests(training_frame(300, seed=7)))
    assert report.result["status"] == "ok"
    assert report.result["drifted"] == []
    assert report.result["records"] == 300
    assert set(report.result["distances"]) == {"x", "y", "colour"}
    assert report.files["constraint_violations.json"]["violations"] == []


def test_a_one_sigma_shift_and_a_category_swap_are_drift_and_only_those_features():
    frame = training_frame(300, seed=7)
    frame["x"] = frame["x"] + 1.0  # one standard deviation
    frame["colour"] = frame["colour"].map({"red": "green", "green": "red", "blue": "blue"})
    report = _check(csv_requests(frame))
    assert report.result["status"] == "drift"
    assert report.result["drifted"] == ["x", "colour"]
    assert report.result["metrics"]["drifted_feature_share"] == round(2 / 3, 6)
    drift = [v for v in report.files["constraint_violations.json"]["violations"]
             if v["constraint_check_type"] == "baseline_drift_check"]
    assert [v["feature_name"] for v in drift] == ["x", "colour"]
    assert drift[0]["description"].startswith("distance: ") and " exceeds threshold: 0.1" in drift[0]["description"]
    names = {d["MetricName"]: d["Value"] for d in report.metric_data}
    assert names[drift_metric_name("x")] > 0.1 and names[drift_metric_name("y")] <= 0.1
    assert names["drifted_feature_share"] == round(2 / 3, 6)
    assert report.metric_data[0]["Dimensions"] == [{"Name": "Endpoint", "Value": "MlopsStack-penguins"},
                                                   {"Name": "MonitoringSchedule",
                                                    "Value": "MlopsStack-penguins-data-quality"}]


def test_an_empty_window_is_no_data_with_no_datapoints():
    late = csv_requests(training_frame(5), when="2026-11-27T12:00:00Z")  # outside the window
    report = _check(late)
    assert report.result["status"] == "no-data"
    assert report.result["records"] == 0
    assert report.metric_data == [] and report.files == {}


def test_unparseable_records_are_counted_and_the_rest_is_checked():
    lines = csv_requests(training_frame(50, seed=3)) + ["{not json", csv_requests(training_frame(1))[0].replace(
        '"data": "', '"data": "1,2,3,4,5,')]
    report = _check(lines)
    assert report.result["records"] == 50
    assert report.result["unparseable"] == 2
    assert "not a capture line" in report.result["unparseable_examples"][0]
    assert "a row has 8 values" in report.result["unparseable_examples"][1]


def test_a_baseline_listing_the_target_still_monitors_only_the_features():
    report = _check(csv_requests(training_frame(100, seed=5)), files=baseline(keep_target=True))
    assert set(report.result["distances"]) == {"x", "y", "colour"}
    assert report.result["status"] == "ok"


def test_streams_in_chunks_with_the_same_verdict():
    frame = training_frame(300, seed=7)
    frame["x"] = frame["x"] + 1.0
    whole, chunked = _check(csv_requests(frame)), _check(csv_requests(frame), chunk_rows=64)
    assert chunked.result["drifted"] == whole.result["drifted"] == ["x"]
    assert chunked.result["records"] == 300
