"""Deployment names: deterministic from the package ARN and approval time, valid for Step
Functions, SageMaker and CloudWatch whatever the model is called."""

from __future__ import annotations

import hashlib
import re

import pytest

from mlops_core.naming import (
    deployment_execution_name,
    deployment_hash,
    deployment_resource_name,
    deployment_resource_prefix,
    endpoint_alarm_name,
    new_fleet_alarm_names,
    shadow_endpoint_config_name,
    shadow_variant_name,
)

ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/mlopsstack-penguins/3"
EXECUTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
SAGEMAKER_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
MODELS = ["penguins", "a" * 31, "house-prices", "x" * 35 + "-" + "y"]


def test_the_hash_is_sha256_of_the_package_arn_and_approval_time():
    assert deployment_hash(ARN, "2026-11-27T10:00:00Z") == hashlib.sha256(
        f"{ARN}|2026-11-27T10:00:00Z".encode()).hexdigest()


def test_the_execution_name_has_the_contract_shape():
    digest = deployment_hash(ARN, "t1")
    assert deployment_execution_name("penguins", ARN, "t1") == f"dp-penguins-{digest[:16]}"


def test_a_later_approval_of_the_same_package_is_another_deployment():
    assert deployment_execution_name("penguins", ARN, "t1") != deployment_execution_name("penguins", ARN, "t2")


@pytest.mark.parametrize("model", MODELS)
def test_every_name_is_valid_for_its_service(model):
    digest = deployment_hash(ARN, "t")
    assert EXECUTION_NAME.match(deployment_execution_name(model, ARN, "t"))
    config = deployment_resource_name(model, digest)
    assert config.startswith(deployment_resource_prefix(model) + "-")
    for name in (config, shadow_endpoint_config_name(config)):
        assert SAGEMAKER_NAME.match(name), name
    for alarm in (*new_fleet_alarm_names("E" * 63, config), endpoint_alarm_name("E" * 63)):
        assert len(alarm) <= 255  # CloudWatch alarm names


def test_resource_and_alarm_names_have_the_contract_shape():
    digest = deployment_hash(ARN, "t")
    assert deployment_resource_name("penguins", digest) == f"penguins-{digest[:12]}"
    assert shadow_endpoint_config_name("penguins-abc") == "penguins-abc-shadow"
    assert new_fleet_alarm_names("MlopsStack-penguins", "penguins-abc") == (
        "MlopsStack-penguins-penguins-abc-latency", "MlopsStack-penguins-penguins-abc-5xx")
    assert endpoint_alarm_name("MlopsStack-penguins") == "MlopsStack-penguins-5xx"


@pytest.mark.parametrize("variant", ["AllTraffic", "v" * 63, "v" * 55 + "-" + "w" * 7])
def test_the_shadow_variant_name_fits_sagemaker(variant):
    name = shadow_variant_name(variant)
    assert SAGEMAKER_NAME.match(name) and name.endswith("-shadow") and name != variant
