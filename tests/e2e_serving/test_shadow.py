"""A shadow test before the canary: the candidate answers a copy of production's traffic, the
pipeline compares the captured answers and latencies, and only a candidate that agrees goes on
to the canary. A faulty candidate is stopped there without a single caller seeing an error."""

from __future__ import annotations

import json

import pytest

from tests.e2e_serving.conftest import package

pytestmark = pytest.mark.e2e
MODEL = "shadowed"


@pytest.fixture(scope="module")
def shadowed(serving):
    first = serving.train(MODEL)
    deployed = serving.approve(MODEL, first)
    assert deployed.succeeded, (deployed.error, deployed.cause)
    second = serving.train(MODEL)
    with serving.load(MODEL) as load:
        summary = serving.approve(MODEL, second)
    return first, second, summary, load


def test_an_agreeing_candidate_passes_the_shadow_test_and_is_deployed(stack, serving, shadowed):
    _, second, summary, load = shadowed
    assert summary.succeeded, (summary.error, summary.cause)
    assert load.failures == []
    endpoint = serving.describe(MODEL)
    assert endpoint["EndpointConfigName"] == package(stack, second)["CustomerMetadataProperties"]["EndpointConfigName"]
    assert not endpoint.get("ShadowProductionVariants")


def test_the_comparison_is_recorded_in_the_run(stack, shadowed):
    _, _, summary, _ = shadowed
    text = json.dumps(summary.output)
    assert "agreement" in text


def test_both_variants_were_captured_with_the_same_event_ids(stack, serving, shadowed):
    bucket = stack.outputs["ArtifactsBucketName"]
    prefix = f"data-capture/{serving.endpoint(MODEL)}/"
    ids: dict[str, set] = {}
    for item in stack.s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
        variant = item["Key"][len(prefix):].split("/")[0]
        text = stack.s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode()
        ids.setdefault(variant, set()).update(json.loads(line)["eventMetadata"]["eventId"] for line in text.splitlines())
    assert len(ids) == 2, ids.keys()
    production, shadow = ids.get("AllTraffic", set()), next(v for k, v in ids.items() if k != "AllTraffic")
    assert len(production & shadow) >= 5


def test_a_faulty_candidate_is_stopped_by_the_shadow_test(stack, serving, shadowed):
    _, second, _, _ = shadowed
    serving_before = serving.describe(MODEL)["EndpointConfigName"]
    third = serving.train(MODEL)
    stack.cloud.faults.inject(third, error_rate=1.0)
    try:
        with serving.load(MODEL) as load:
            summary = serving.approve(MODEL, third)
    finally:
        stack.cloud.faults.clear(third)
    assert summary.status == "FAILED" and summary.error == "ShadowRejected", (summary.error, summary.cause)
    assert "agreement" in summary.cause
    assert load.failures == []  # callers only ever talked to production
    endpoint = serving.describe(MODEL)
    assert endpoint["EndpointStatus"] == "InService" and endpoint["EndpointConfigName"] == serving_before
    assert package(stack, third)["CustomerMetadataProperties"]["DeploymentStatus"] == "ShadowRejected"
