"""The deployment input's `monitoring` block: nothing to schedule for the serverless engine, the
Model Monitor request values from the settings otherwise, bad settings named."""

from __future__ import annotations

import pytest

from mlops.config import parse_config
from mlops_core.approval_event import ApprovalEvent
from mlops_core.deployment_input import build_deployment_input
from mlops_core.model_monitor_schedule import monitoring_input, schedule_expression
from mlops_core.naming import data_quality_job_definition_name
from tests.mlops_core.deployment_builders import PACKAGE_ARN, REGION, approval_event

ENDPOINT = "MlopsStack-penguins"


def _settings(monitoring: dict | None = None, **model) -> dict:
    entry = {"name": "penguins", "target": "species", "problem_type": "classification", **model,
             **({"monitoring": monitoring} if monitoring is not None else {})}
    return parse_config({"models": [entry]}).models[0].settings_document(region=REGION, submit_directory="s3://b/k")


def _input(settings: dict) -> dict:
    return monitoring_input(settings, endpoint=ENDPOINT, model_package_arn=PACKAGE_ARN)


def test_the_serverless_engine_schedules_nothing_at_deployment():
    assert _input(_settings()) == {"enabled": True, "engine": "serverless"}
    assert _input(_settings(serving={"enabled": False})) == {"enabled": False, "engine": "serverless"}


def test_model_monitor_carries_every_request_value_the_settings_decide():
    settings = _settings({"engine": "model-monitor", "schedule_minutes": 360, "window_minutes": 180},
                         processing={"instance_type": "ml.m5.xlarge", "volume_size_gb": 50})
    assert _input(settings) == {
        "enabled": True, "engine": "model-monitor",
        "schedule": "MlopsStack-penguins-data-quality",
        "job_definition": data_quality_job_definition_name(ENDPOINT, PACKAGE_ARN),
        "schedule_config": {"ScheduleExpression": "cron(0 0/6 ? * * *)", "DataAnalysisStartTime": "-PT3H",
                            "DataAnalysisEndTime": "-PT0H"},
        "cluster": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 50},
        "max_runtime_seconds": 3600,
    }


def test_a_job_may_not_outlast_its_schedule_period():
    settings = _settings({"engine": "model-monitor"}, processing={"max_runtime_seconds": 7200})
    assert _input(settings)["max_runtime_seconds"] == 3600


def test_the_deployment_input_carries_the_block():
    settings = _settings({"engine": "model-monitor"})
    data = build_deployment_input(model="penguins", settings=settings, poll_seconds=5,
                                  approval=ApprovalEvent.from_event(approval_event()))
    assert data["monitoring"]["job_definition"].startswith("MlopsStack-penguins-dq-")
    assert data["monitoring"]["schedule_config"]["ScheduleExpression"] == "cron(0 * ? * * *)"


@pytest.mark.parametrize(("minutes", "expression"), [
    (60, "cron(0 * ? * * *)"), (120, "cron(0 0/2 ? * * *)"), (480, "cron(0 0/8 ? * * *)"),
    (1440, "cron(0 0 ? * * *)"),
])
def test_schedules_are_the_cron_forms_model_monitor_documents(minutes, expression):
    assert schedule_expression(minutes) == expression


@pytest.mark.parametrize(("change", "message"), [
    ({"engine": "clarify"}, "settings.monitoring.engine must be one of serverless, model-monitor"),
    ({"enabled": "yes"}, "settings.monitoring.enabled must be true or false"),
    ({"schedule_minutes": 300}, "settings.monitoring.schedule_minutes must be 60, 120"),
    ({"window_minutes": 1500}, "settings.monitoring.window_minutes must be whole hours up to 24"),
    ({"window_minutes": None}, "settings.monitoring.window_minutes must be a whole number"),
])
def test_bad_settings_are_named(change, message):
    settings = _settings({"engine": "model-monitor"})
    settings["monitoring"].update(change)
    with pytest.raises(ValueError, match=message):
        _input(settings)


def test_settings_older_than_monitoring_schedule_nothing():
    settings = _settings()
    del settings["monitoring"]
    assert _input(settings) == {"enabled": False, "engine": "serverless"}


def test_job_definition_names_fit_sagemaker_and_differ_per_package():
    long_endpoint = "e" * 63
    name = data_quality_job_definition_name(long_endpoint, PACKAGE_ARN)
    assert len(name) == 63 and name.startswith("e" * 47 + "-dq-")
    assert name != data_quality_job_definition_name(long_endpoint, PACKAGE_ARN.replace("/3", "/4"))
