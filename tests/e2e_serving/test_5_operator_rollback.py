"""`mlops rollback` returns the endpoint to the previous good deployment."""

from __future__ import annotations

import pytest

from tests.e2e_serving.conftest import package

pytestmark = pytest.mark.e2e


def test_rollback_returns_to_the_previous_deployed_version(stack, serving, mlops, first_deployment, faulty):
    first_arn, _ = first_deployment
    result = mlops("rollback", "penguins", "--timeout", "120")
    assert result.exit_code == 0, result.output
    version = first_arn.rsplit("/", 1)[-1]
    assert f"InService on version {version}" in result.output
    expected = package(stack, first_arn)["CustomerMetadataProperties"]["EndpointConfigName"]
    assert serving.describe("penguins")["EndpointConfigName"] == expected
    status = mlops("endpoint", "status", "penguins")
    assert f"serving version {version}" in status.output


def test_rollback_of_an_unknown_model_gives_advice(mlops, first_deployment):
    result = mlops("rollback", "nope")
    assert result.exit_code == 1 and "model 'nope' is not configured" in result.output
    assert "Traceback" not in result.output
