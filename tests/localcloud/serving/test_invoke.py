"""InvokeEndpoint through boto3's sagemaker-runtime client, as a user calls it."""

from __future__ import annotations

import json
import pytest
from botocore.exceptions import ClientError
from moto.sagemaker.models import FakeEndpoint, sagemaker_backends

from mlops.localcloud.serving import FleetSpec, Routes
from sagemaker_jobs import inference
from tests.localcloud.serving.support import PENGUIN_ROW

ENDPOINT = "invoke-penguins"


@pytest.fixture(scope="module")
def fleets(cloud, models):
    """The forest as variant Forest (weight 1) and the linear model as Linear (weight 0)."""
    started = [cloud.fleets.start_fleet(FleetSpec(ENDPOINT, f"invoke-{variant.lower()}", variant, model,
                                                  "ml.m5.large", 1, None))
               for variant, model in (("Forest", models.forest), ("Linear", models.linear))]
    cloud.router.set_routes(ENDPOINT, Routes(((started[0], 1.0), (started[1], 0.0))))
    yield started
    cloud.router.remove(ENDPOINT)
    for fleet in started:
        fleet.close()


def _expected(artifacts, estimator: str, body: str, content_type: str, accept: str | None) -> tuple[str, str]:
    model = inference.model_fn(str(artifacts.model_dirs[estimator]))
    return inference.output_fn(inference.predict_fn(inference.input_fn(body, content_type), model), accept)


def _model_error(runtime, **request) -> dict:
    with pytest.raises(ClientError) as raised:
        runtime.invoke_endpoint(EndpointName=ENDPOINT, **request)
    return raised.value.response


def test_a_csv_row_gets_the_models_prediction_and_the_variant_header(fleets, runtime, artifacts):
    answer = runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=PENGUIN_ROW, ContentType="text/csv")
    body, content_type = _expected(artifacts, "random_forest", PENGUIN_ROW, "text/csv", None)
    assert answer["Body"].read().decode() == body
    assert answer["ContentType"] == content_type == "application/json"
    assert answer["InvokedProductionVariant"] == "Forest"
    assert answer["ResponseMetadata"]["RequestId"]
    assert json.loads(body)["predictions"] == ["Adelie"]


def test_json_records_with_accept_csv_get_csv(fleets, runtime, artifacts):
    records = json.dumps({"instances": [dict(zip(
        ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"],
        ["Biscoe", 50.0, 15.0, 220, 5500, "male", 2008]))]})
    answer = runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=records, ContentType="application/json",
                                     Accept="text/csv", InferenceId="req-1", CustomAttributes="trace=1")
    assert answer["ContentType"] == "text/csv"
    assert answer["Body"].read().decode() == _expected(artifacts, "random_forest", records, "application/json",
                                                       "text/csv")[0] == "Gentoo\n"


def test_target_variant_reaches_a_variant_of_weight_zero(fleets, runtime, artifacts):
    answer = runtime.invoke_endpoint(EndpointName=ENDPOINT, Body=PENGUIN_ROW, ContentType="text/csv",
                                     TargetVariant="Linear")
    assert answer["InvokedProductionVariant"] == "Linear"
    assert answer["Body"].read().decode() == _expected(artifacts, "linear", PENGUIN_ROW, "text/csv", None)[0]


def test_an_unknown_target_variant_is_a_validation_error(fleets, runtime):
    error = _model_error(runtime, Body=PENGUIN_ROW, ContentType="text/csv", TargetVariant="Nope")["Error"]
    assert error["Code"] == "ValidationError"
    assert error["Message"] == f"Endpoint {ENDPOINT} of account 123456789012 has no production variant named Nope."


def test_an_unsupported_content_type_is_the_containers_415_without_a_traceback(fleets, runtime):
    response = _model_error(runtime, Body="hello", ContentType="text/plain")
    assert response["Error"]["Code"] == "ModelError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert response["OriginalStatusCode"] == 415
    assert response["OriginalMessage"] == "Unsupported content type 'text/plain': send text/csv or application/json."
    assert response["Error"]["Message"].startswith(
        "Received client error (415) from primary with message \"Unsupported content type 'text/plain'")
    assert response["LogStreamArn"].endswith(f":log-group:/aws/sagemaker/Endpoints/{ENDPOINT}")
    assert "Traceback" not in json.dumps(response)


def test_missing_columns_are_the_containers_400_naming_them(fleets, runtime):
    body = json.dumps([{"island": "Biscoe", "bill_length_mm": 50.0}])
    response = _model_error(runtime, Body=body, ContentType="application/json")
    assert response["OriginalStatusCode"] == 400
    for column in ("bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"):
        assert column in response["OriginalMessage"]
    assert "Traceback" not in json.dumps(response)


def test_an_unknown_endpoint_is_not_found_as_aws_words_it(cloud, runtime):
    with pytest.raises(ClientError) as raised:
        runtime.invoke_endpoint(EndpointName="no-such-endpoint", Body=PENGUIN_ROW, ContentType="text/csv")
    assert raised.value.response["Error"] == {
        "Code": "ValidationError", "Message": "Endpoint no-such-endpoint of account 123456789012 not found."}
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_an_endpoint_that_is_not_serving_names_its_status(cloud, runtime):
    # moto's record of an endpoint still being created, with no fleet routed yet.
    backend = sagemaker_backends[cloud.account][cloud.region]
    backend.endpoints["creating-endpoint"] = endpoint = FakeEndpoint(
        cloud.account, cloud.region, "creating-endpoint", "some-config", [{"VariantName": "AllTraffic"}], {}, [])
    endpoint.endpoint_status = "Creating"
    try:
        with pytest.raises(ClientError) as raised:
            runtime.invoke_endpoint(EndpointName="creating-endpoint", Body=PENGUIN_ROW, ContentType="text/csv")
    finally:
        del backend.endpoints["creating-endpoint"]
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert "is in status Creating" in raised.value.response["Error"]["Message"]


def test_an_invalid_endpoint_name_fails_the_services_pattern(cloud, runtime):
    with pytest.raises(ClientError) as raised:
        runtime.invoke_endpoint(EndpointName="bad_name", Body=PENGUIN_ROW, ContentType="text/csv")
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'bad_name' at 'endpointName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*")


def test_a_multi_model_header_is_refused_for_a_single_model_endpoint(fleets, runtime):
    error = _model_error(runtime, Body=PENGUIN_ROW, ContentType="text/csv", TargetModel="model.tar.gz")["Error"]
    assert error["Code"] == "ValidationError" and "X-Amzn-SageMaker-Target-Model" in error["Message"]


def test_other_api_calls_still_reach_moto(cloud):
    assert cloud.client("sagemaker").describe_model(ModelName="penguins-forest")["ModelName"] == "penguins-forest"
