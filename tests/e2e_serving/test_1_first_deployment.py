"""The first approval of a model creates its endpoint, which serves real predictions."""

from __future__ import annotations

import json

import pytest

from tests.e2e_serving.conftest import feature_records, package

pytestmark = pytest.mark.e2e
SPECIES = {"Adelie", "Chinstrap", "Gentoo"}


def test_approval_deploys_the_first_version(stack, serving, first_deployment):
    arn, summary = first_deployment
    assert summary.succeeded, (summary.error, summary.cause)
    endpoint = serving.describe("penguins")
    assert endpoint["EndpointStatus"] == "InService"
    metadata = package(stack, arn)["CustomerMetadataProperties"]
    assert metadata["DeploymentStatus"] == "Deployed"
    assert metadata["EndpointConfigName"] == endpoint["EndpointConfigName"]
    assert metadata["DeploymentExecutionArn"] == summary.execution_arn


def test_the_endpoint_answers_with_the_models_predictions(serving, first_deployment):
    records = feature_records(10)
    answer = serving.invoke("penguins", records)
    assert answer["variant"] == "AllTraffic"
    assert len(answer["predictions"]) == 10 and set(answer["predictions"]) <= SPECIES
    for row in answer["probabilities"]:
        assert set(row) == SPECIES and abs(sum(row.values()) - 1) < 1e-6


def test_csv_requests_are_answered_too(serving, first_deployment):
    answer = serving.runtime.invoke_endpoint(
        EndpointName=serving.endpoint("penguins"), ContentType="text/csv", Accept="text/csv",
        Body="island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"
             "Biscoe,46.5,14.8,217,5200,female,2008\n")
    assert answer["Body"].read().decode().strip() == "Gentoo"


def test_endpoint_status_names_the_deployed_version(mlops, first_deployment):
    arn, _ = first_deployment
    result = mlops("endpoint", "status", "penguins")
    assert result.exit_code == 0, result.output
    assert f"InService, serving version {arn.rsplit('/', 1)[-1]}" in result.output
    assert "variant AllTraffic: weight 1.0" in result.output
    as_json = json.loads(mlops("endpoint", "status", "penguins", "--json").output)
    assert as_json["model_package"] == arn and as_json["alarms"]["MlopsServingE2E-penguins-5xx"] == "OK"


def test_mlops_invoke_prints_the_answer(mlops, first_deployment):
    body = json.dumps({"instances": feature_records(2)})
    result = mlops("invoke", "penguins", "--content-type", "application/json", "--body", body)
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout.splitlines()[0])["predictions"]) <= SPECIES
