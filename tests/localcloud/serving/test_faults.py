"""Injected faults are real container answers: 500s the caller sees as ModelError, and real sleeps."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.serving import Routes
from tests.localcloud.serving.support import PENGUIN_ROW

ENDPOINT = "faulty"


@pytest.fixture(scope="module")
def fleet(cloud, models):
    from mlops.localcloud.serving import FleetSpec

    started = cloud.fleets.start_fleet(FleetSpec(ENDPOINT, "faulty-config", "AllTraffic", models.linear,
                                                 "ml.m5.large", 1, None))
    cloud.router.set_routes(ENDPOINT, Routes(((started, 1.0),)))
    yield started
    cloud.router.remove(ENDPOINT)
    started.close()


@pytest.fixture(autouse=True)
def no_faults_left(cloud):
    yield
    cloud.faults.clear()


def _invoke(runtime):
    return runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=PENGUIN_ROW, ContentType="text/csv")


@pytest.mark.parametrize("by", ["package", "model", "model data"])
def test_an_error_fault_fails_the_model_named_in_any_of_its_names(cloud, models, artifacts, fleet, runtime, by):
    match = {"package": models.packages["linear"], "model": models.linear,
             "model data": artifacts.model_urls["linear"]}[by]
    cloud.faults.inject(match)
    with pytest.raises(ClientError) as raised:
        _invoke(runtime)
    response = raised.value.response
    assert response["Error"]["Code"] == "ModelError" and response["OriginalStatusCode"] == 500
    assert response["OriginalMessage"].startswith(f"Injected fault: {match} is set to fail")
    cloud.faults.clear(match)
    assert _invoke(runtime)["Body"].read()


def test_a_fault_on_another_model_changes_nothing(cloud, models, fleet, runtime):
    cloud.faults.inject(models.forest)
    assert _invoke(runtime)["InvokedProductionVariant"] == "AllTraffic"


def test_a_latency_fault_sleeps_in_the_container(cloud, models, fleet, runtime):
    cloud.faults.inject(models.linear, error_rate=0.0, latency_ms=300)
    started = time.perf_counter()
    assert _invoke(runtime)["Body"].read()
    assert time.perf_counter() - started >= 0.3


def test_an_error_rate_fails_about_that_share(cloud, models, fleet, runtime):
    cloud.faults.inject(models.linear, error_rate=0.5)
    failed = 0
    for _ in range(80):
        try:
            _invoke(runtime)["Body"].read()
        except ClientError:
            failed += 1
    assert 15 <= failed <= 65  # Binomial(80, 0.5): about 5.5 standard deviations either side


def test_bad_fault_settings_are_refused(cloud):
    with pytest.raises(ValueError, match="error_rate must be a number from 0 to 1"):
        cloud.faults.inject("model", error_rate=2)
    with pytest.raises(ValueError, match="latency_ms must be an integer"):
        cloud.faults.inject("model", latency_ms=-1)
    with pytest.raises(ValueError, match="match must name"):
        cloud.faults.inject(" ")


def _faults_api(cloud, method: str, document: dict | None = None, query: str = "") -> tuple[int, dict]:
    request = urllib.request.Request(f"{cloud.endpoint_url}/_localcloud/faults{query}", method=method,
                                     data=json.dumps(document).encode() if document is not None else None,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_faults_over_http(cloud, models, fleet, runtime):
    status, listed = _faults_api(cloud, "POST", {"match": models.linear, "error_rate": 1.0, "latency_ms": 10})
    assert status == 200 and listed == {"faults": [{"match": models.linear, "error_rate": 1.0, "latency_ms": 10}]}
    with pytest.raises(ClientError):
        _invoke(runtime)
    assert _faults_api(cloud, "GET")[1]["faults"][0]["match"] == models.linear
    assert _faults_api(cloud, "DELETE", query=f"?match={models.linear}") == (200, {"faults": []})
    assert _invoke(runtime)["Body"].read()


def test_faults_over_http_name_bad_input(cloud):
    assert _faults_api(cloud, "POST", {"match": "m", "error_rate": "often"}) == (
        400, {"message": "error_rate must be a number from 0 to 1, got 'often'"})
    status, answer = _faults_api(cloud, "POST", {"match": "m", "rate": 1})
    assert status == 400 and answer["message"] == "unknown field(s): rate"
    assert _faults_api(cloud, "PUT", {})[0] == 405
