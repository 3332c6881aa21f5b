"""Client mistakes are client errors that name the problem; every sampled request is captured
in SageMaker's data-capture format and key layout."""

from __future__ import annotations

import json
import re
import time

import pytest
from botocore.exceptions import ClientError

from tests.e2e_serving.conftest import feature_records

pytestmark = pytest.mark.e2e


def _refusal(serving, **kwargs) -> ClientError:
    with pytest.raises(ClientError) as caught:
        serving.runtime.invoke_endpoint(EndpointName=serving.endpoint("penguins"), **kwargs)
    return caught.value


def test_an_unsupported_content_type_is_a_415_from_the_model(serving, first_deployment):
    error = _refusal(serving, ContentType="application/x-parquet", Body=b"PAR1")
    assert error.response["Error"]["Code"] == "ModelError"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert error.response["OriginalStatusCode"] == 415
    assert "application/x-parquet" in error.response["OriginalMessage"]
    assert "Traceback" not in str(error.response)


def test_missing_columns_are_a_400_naming_them(serving, first_deployment):
    record = {k: v for k, v in feature_records(1)[0].items() if k not in ("bill_length_mm", "island")}
    error = _refusal(serving, ContentType="application/json", Body=json.dumps([record]))
    assert error.response["OriginalStatusCode"] == 400
    message = error.response["OriginalMessage"]
    assert "bill_length_mm" in message and "island" in message
    assert "Traceback" not in str(error.response)


def test_a_wrong_number_of_csv_columns_is_a_400(serving, first_deployment):
    error = _refusal(serving, ContentType="text/csv", Body=b"1,2,3\n")
    assert error.response["OriginalStatusCode"] == 400 and "got 3" in error.response["OriginalMessage"]


def test_an_unknown_endpoint_is_a_validation_error(serving, first_deployment):
    with pytest.raises(ClientError) as caught:
        serving.runtime.invoke_endpoint(EndpointName="no-such-endpoint", ContentType="text/csv", Body=b"1")
    assert caught.value.response["Error"]["Code"] == "ValidationError"
    assert "no-such-endpoint" in caught.value.response["Error"]["Message"]


def test_requests_are_captured_in_sagemakers_format(stack, serving, first_deployment):
    records = feature_records(3, offset=30)
    serving.invoke("penguins", records, InferenceId="capture-check-1")
    bucket = stack.outputs["ArtifactsBucketName"]
    prefix = f"data-capture/{serving.endpoint('penguins')}/AllTraffic/"
    deadline, line = time.monotonic() + 30, None
    while line is None and time.monotonic() < deadline:
        time.sleep(1)
        for item in stack.s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
            assert re.fullmatch(re.escape(prefix) + r"\d{4}/\d{2}/\d{2}/\d{2}/[^/]+\.jsonl", item["Key"]), item["Key"]
            text = stack.s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read().decode()
            for raw in text.splitlines():
                entry = json.loads(raw)
                if entry["eventMetadata"].get("inferenceId") == "capture-check-1":
                    line = entry
    assert line is not None, "the request was not captured within 30 s"
    captured_input = line["captureData"]["endpointInput"]
    assert captured_input["mode"] == "INPUT" and captured_input["observedContentType"] == "application/json"
    assert json.loads(captured_input["data"]) == {"instances": records}
    output = line["captureData"]["endpointOutput"]
    assert output["mode"] == "OUTPUT" and len(json.loads(output["data"])["predictions"]) == 3
    assert line["eventVersion"] == "0" and line["eventMetadata"]["eventId"]
