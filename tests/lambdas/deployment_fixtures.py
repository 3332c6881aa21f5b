"""Fixtures shared by the deployment handler tests: fresh boto3 clients in the handlers for
each moto context (the handlers cache theirs, as in a warm Lambda container)."""

from __future__ import annotations

import pytest

import lambdas.check_capacity.handler as check_capacity
import lambdas.compare_shadow.handler as compare_shadow
import lambdas.start_deployment.handler as start_deployment

_CLIENTS = {start_deployment: ("_ssm", "_sfn"), check_capacity: ("_sagemaker", "_quotas"),
            compare_shadow: ("_s3", "_cloudwatch")}


@pytest.fixture(autouse=True)
def fresh_deployment_clients():
    _clear()
    yield
    _clear()


def _clear() -> None:
    for module, names in _CLIENTS.items():
        for name in names:
            getattr(module, name).cache_clear()
