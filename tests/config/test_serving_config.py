"""models[].serving: defaults, AWS's own bounds, errors naming the field, the settings block."""

from __future__ import annotations

import json

import pytest

from mlops.config import ConfigError, parse_config

MODEL = {"name": "penguins", "target": "species", "problem_type": "classification"}


def _config(serving: dict | None = None, **stage):
    model = {**MODEL, **({"serving": serving} if serving is not None else {})}
    return parse_config({"models": [model], **stage}, source="stage.json")


def _error(serving: dict, **stage) -> str:
    with pytest.raises(ConfigError) as caught:
        _config(serving, **stage)
    return str(caught.value)


def _block(serving: dict | None = None, **stage) -> dict:
    return _config(serving, **stage).models[0].settings_document(region="us-east-1", submit_directory="s3://b/k")[
        "serving"]


def test_defaults_are_the_contracts():
    assert _block() == {
        "enabled": True, "endpoint_name": "MlopsStack-penguins", "variant_name": "AllTraffic",
        "instance_type": "ml.m5.large", "instance_count": 1, "strategy": "canary", "canary_percent": 10,
        "linear_step_percent": 25, "wait_interval_seconds": 300, "termination_wait_seconds": 300,
        "max_execution_timeout_seconds": 3600,
        "data_capture": {"enabled": True, "sampling_percent": 100},
        "alarms": {"period_seconds": 60, "evaluation_periods": 1, "error_threshold": 0, "latency_p99_ms": 1000},
        "shadow": {"enabled": False, "duration_seconds": 300, "sampling_percent": 100, "min_requests": 10,
                   "min_agreement": 0.95, "max_latency_ratio": 2.0},
    }


def test_the_default_endpoint_name_follows_the_stack_name():
    assert _block(stack_name="Churn-Prod")["endpoint_name"] == "Churn-Prod-penguins"


def test_a_configured_endpoint_name_is_kept():
    assert _block({"endpoint_name": "penguins-live"})["endpoint_name"] == "penguins-live"


@pytest.mark.parametrize(("serving", "message"), [
    ({"endpoint_name": "birds"}, "models[0]: serving.endpoint_name: must contain the model name 'penguins'"),
    ({"endpoint_name": "penguins_live"}, "models[0].serving.endpoint_name: String should match pattern"),
    ({"endpoint_name": "penguins-" + "x" * 60}, "models[0].serving.endpoint_name"),
    ({"variant_name": "All Traffic"}, "models[0].serving.variant_name"),
    ({"instance_type": "m5.large"}, "models[0].serving.instance_type"),
    ({"instance_count": 0}, "models[0].serving.instance_count"),
    ({"strategy": "rolling"}, "models[0].serving.strategy"),
    ({"canary_percent": 60}, "models[0].serving.canary_percent"),
    ({"linear_step_percent": 5}, "models[0].serving.linear_step_percent"),
    ({"wait_interval_seconds": 3601}, "models[0].serving.wait_interval_seconds"),
    ({"termination_wait_seconds": -1}, "models[0].serving.termination_wait_seconds"),
    ({"max_execution_timeout_seconds": 599}, "models[0].serving.max_execution_timeout_seconds"),
    ({"data_capture": {"sampling_percent": 101}}, "models[0].serving.data_capture.sampling_percent"),
    ({"alarms": {"period_seconds": 45}}, "models[0].serving.alarms.period_seconds: must be 10, 30 "
                                         "or a multiple of 60"),
    ({"alarms": {"period_seconds": 3600, "evaluation_periods": 25}}, "must be at most 86400 seconds"),
    ({"alarms": {"latency_p99_ms": 0}}, "models[0].serving.alarms.latency_p99_ms"),
    ({"alarms": {"error_threshold": -1}}, "models[0].serving.alarms.error_threshold"),
    ({"shadow": {"min_agreement": 1.5}}, "models[0].serving.shadow.min_agreement"),
    ({"shadow": {"sampling_percent": 0}}, "models[0].serving.shadow.sampling_percent"),
    ({"shadow": {"enabled": True}, "data_capture": {"enabled": False}},
     "shadow.enabled requires data_capture.enabled"),
    ({"wait_interval_seconds": 3000, "termination_wait_seconds": 600},
     "max_execution_timeout_seconds (3600) must be larger than wait_interval_seconds + termination_wait_seconds"),
    ({"canary": 5}, "models[0].serving.canary"),
])
def test_a_bad_serving_block_is_refused_naming_the_field(serving, message):
    message_text = _error(serving)
    assert message_text.startswith("stage.json: ")
    assert message in message_text


@pytest.mark.parametrize("period", [10, 30, 60, 300])
def test_cloudwatch_periods_are_accepted(period):
    assert _block({"alarms": {"period_seconds": period}})["alarms"]["period_seconds"] == period


def test_a_default_endpoint_name_too_long_for_sagemaker_asks_for_one():
    # The package group is named explicitly, so only the endpoint's default is too long.
    with pytest.raises(ConfigError) as caught:
        parse_config({"stack_name": "S" * 60, "models": [{**MODEL, "model_package_group_name": "penguins"}]})
    message = str(caught.value)
    assert "models[0].serving.endpoint_name: default 'SSS" in message and "set it explicitly" in message


def test_two_models_may_not_share_an_endpoint():
    other = {"name": "pen", "target": "species", "problem_type": "classification",
             "serving": {"endpoint_name": "PENGUINS-pen"}}
    with pytest.raises(ConfigError) as caught:
        parse_config({"models": [{**MODEL, "serving": {"endpoint_name": "penguins-pen"}}, other]}, source="s.json")
    assert "models[1].serving.endpoint_name: 'PENGUINS-pen' is also the endpoint of model 'penguins'" in str(caught.value)


def test_a_disabled_model_claims_no_endpoint():
    other = {"name": "pen", "target": "species", "problem_type": "classification",
             "serving": {"endpoint_name": "penguins-pen"}}
    config = parse_config({"models": [{**MODEL, "serving": {"endpoint_name": "penguins-pen", "enabled": False}},
                                      other]})
    assert [m.serving.enabled for m in config.models] == [False, True]


def test_the_whole_settings_document_still_fits_a_standard_ssm_parameter():
    model = {**MODEL, "tuning": {"enabled": True}, "serving": {"shadow": {"enabled": True}},
             "hyperparameters": {f"param_{i}": "x" * 8 for i in range(20)}}
    document = parse_config({"models": [model]}).models[0].settings_document(
        region="us-east-1", submit_directory="s3://cdk-hnb659fds-assets-123456789012-us-east-1/" + "0" * 64 + ".tar.gz")
    assert len(json.dumps(document, separators=(",", ":"))) < 4096
