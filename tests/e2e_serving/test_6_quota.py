"""Before a blue/green update (twice the capacity for a while) the pipeline checks the
account's endpoint instance quota and fails fast naming it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
QUOTA = "ml.m5.large for endpoint usage"


def test_a_quota_too_small_for_blue_green_fails_fast_naming_it(stack, serving, faulty):
    before = serving.describe("penguins")["EndpointConfigName"]
    arn = serving.train("penguins")
    stack.cloud.quotas.set("sagemaker", QUOTA, 1)
    try:
        summary = serving.approve("penguins", arn)
    finally:
        stack.cloud.quotas.unset("sagemaker", QUOTA)
    assert summary.status == "FAILED" and summary.error == "InsufficientEndpointQuota"
    assert QUOTA in summary.cause
    assert serving.describe("penguins")["EndpointConfigName"] == before
