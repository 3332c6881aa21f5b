"""models[].monitoring: defaults, bounds, errors naming the field, the settings block."""

from __future__ import annotations

import pytest

from mlops.config import ConfigError, parse_config

PENGUINS = {"name": "penguins", "target": "species", "problem_type": "classification"}
HOUSES = {"name": "houses", "target": "price", "problem_type": "regression"}


def _config(monitoring: dict | None = None, *, model: dict = PENGUINS, **extra):
    entry = {**model, **extra, **({"monitoring": monitoring} if monitoring is not None else {})}
    return parse_config({"models": [entry]}, source="stage.json")


def _block(monitoring: dict | None = None, **kwargs) -> dict:
    return _config(monitoring, **kwargs).models[0].settings_document(region="us-east-1", submit_directory="s3://b/k")[
        "monitoring"]


def _error(monitoring: dict | None, **kwargs) -> str:
    with pytest.raises(ConfigError) as caught:
        _config(monitoring, **kwargs)
    return str(caught.value)


def test_defaults_are_the_contracts_with_the_resolved_names():
    assert _block() == {
        "enabled": True, "engine": "serverless", "schedule_minutes": 60, "window_minutes": 60,
        "processing_above_bytes": 268435456, "drift": {"max_drifted_share": 0.0, "method": "model-monitor"},
        "model_quality": {"enabled": True, "metric": "accuracy", "min_labels": 10},
        "alarms": {"evaluation_periods": 1},
        "retraining": {"on_alarm": True, "cooldown_minutes": 360},
        "period_seconds": 3600,
        "names": {"schedules": {"data_quality": "MlopsStack-penguins-data-quality",
                                "model_quality": "MlopsStack-penguins-model-quality"},
                  "alarms": {"drift": "MlopsStack-penguins-drift"}},
    }


def test_a_regression_model_is_watched_by_rmse():
    assert _block(model=HOUSES)["model_quality"]["metric"] == "rmse"


def test_a_quality_threshold_names_the_quality_alarm():
    block = _block({"model_quality": {"threshold": 0.8}, "schedule_minutes": 5})
    assert block["names"]["alarms"]["model_quality"] == "MlopsStack-penguins-model-quality"
    assert block["period_seconds"] == 300


def test_monitoring_follows_serving_when_left_to_its_default():
    block = _block(serving={"enabled": False})
    assert block["enabled"] is False and "names" not in block


@pytest.mark.parametrize(("monitoring", "extra", "message"), [
    ({"enabled": True}, {"serving": {"enabled": False}},
     "models[0]: monitoring.enabled: monitoring watches the model's endpoint and needs serving"),
    ({"schedule_minutes": 4}, {}, "models[0].monitoring.schedule_minutes"),
    ({"schedule_minutes": 1441}, {}, "models[0].monitoring.schedule_minutes"),
    ({"window_minutes": 10081}, {}, "models[0].monitoring.window_minutes"),
    ({"drift": {"max_drifted_share": 1}}, {}, "models[0].monitoring.drift.max_drifted_share"),
    ({"model_quality": {"metric": "rmse"}}, {},
     "monitoring.model_quality.metric: 'rmse' does not apply to a classification model"),
    ({"model_quality": {"threshold": 1.5}}, {}, "monitoring.model_quality.threshold: accuracy lies between 0 and 1"),
    ({"model_quality": {"min_labels": 0}}, {}, "models[0].monitoring.model_quality.min_labels"),
    ({"retraining": {"cooldown_minutes": -1}}, {}, "models[0].monitoring.retraining.cooldown_minutes"),
    ({"retraining": {"schedule_days": 0}}, {}, "models[0].monitoring.retraining.schedule_days"),
    ({"alarms": {"evaluation_periods": 2}, "schedule_minutes": 1440}, {},
     "monitoring.alarms.evaluation_periods: schedule_minutes x 60 x evaluation_periods must be at most 86400"),
    ({"engine": "model-monitor", "schedule_minutes": 90}, {},
     "monitoring.schedule_minutes: with engine 'model-monitor' the schedule is a Model Monitor cron"),
    ({"engine": "model-monitor", "schedule_minutes": 300}, {}, "set schedule_minutes to 60, 120, 180, 240, 360"),
    ({"engine": "model-monitor", "window_minutes": 90}, {},
     "monitoring.window_minutes: with engine 'model-monitor' the analysed window is whole hours"),
    ({"engine": "model-monitor", "window_minutes": 1500}, {}, "at most 24 (SageMaker's limit)"),
    ({"engine": "model-monitor", "drift": {"method": "wasserstein-js"}}, {},
     "monitoring.drift.method: with engine 'model-monitor' drift is judged by SageMaker's analyzer"),
    ({"engine": "clarify"}, {}, "models[0].monitoring.engine"),
    ({"schedule": 5}, {}, "models[0].monitoring.schedule: Extra inputs are not permitted"),
])
def test_bad_values_are_errors_naming_the_field(monitoring, extra, message):
    assert message in _error(monitoring, **extra)


def test_a_negative_error_threshold_is_refused():
    assert "rmse is never negative" in _error({"model_quality": {"threshold": -1}}, model=HOUSES)


def test_an_endpoint_name_too_long_for_the_schedule_names_is_named():
    message = _error(None, serving={"endpoint_name": "penguins-" + "x" * 45})
    assert "models[0].serving.endpoint_name: the monitoring schedule name" in message
    assert "at most 50 characters" in message


def test_the_long_endpoint_is_fine_without_monitoring():
    _config({"enabled": False}, serving={"endpoint_name": "penguins-" + "x" * 45})


def test_the_model_monitor_engine_is_carried_in_the_settings():
    block = _block({"engine": "model-monitor", "schedule_minutes": 360, "window_minutes": 120})
    assert (block["engine"], block["schedule_minutes"], block["window_minutes"]) == ("model-monitor", 360, 120)
    assert block["names"]["schedules"]["data_quality"] == "MlopsStack-penguins-data-quality"


@pytest.mark.parametrize("minutes", [60, 120, 180, 240, 360, 480, 720, 1440])
def test_every_whole_hour_dividing_a_day_is_a_model_monitor_schedule(minutes):
    assert _block({"engine": "model-monitor", "schedule_minutes": minutes})["period_seconds"] == minutes * 60


def test_the_model_monitor_rules_do_not_apply_without_monitoring():
    _config({"enabled": False, "engine": "model-monitor", "schedule_minutes": 5})


def test_the_data_quality_schedule_must_fit_sagemakers_63_characters():
    # 50 characters: <endpoint>-data-quality is 63, <endpoint>-model-quality 64 (Scheduler's limit).
    _config({"engine": "model-monitor"}, serving={"endpoint_name": "penguins-" + "x" * 41})
    message = _error({"engine": "model-monitor", "model_quality": {"enabled": False}},
                     serving={"endpoint_name": "penguins-" + "x" * 42})
    assert "the monitoring schedule name 'penguins-" in message
    assert "SageMaker's 63 characters" in message or "EventBridge Scheduler's 64 characters" in message
    assert "at most 50 characters" in message
