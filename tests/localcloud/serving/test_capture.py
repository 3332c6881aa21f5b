"""Data capture files in SageMaker's layout and line format, shadows captured with production's eventId."""

from __future__ import annotations

import base64
import json
import re
import time

import pytest

from mlops.localcloud.serving import FleetSpec, FleetStartError, Routes
from tests.localcloud.serving.support import PENGUIN_ROW

BUCKET = "capture-bucket"
KEY_PATTERN = re.compile(r"data-capture/(?P<endpoint>[^/]+)/(?P<variant>[^/]+)/\d{4}/\d{2}/\d{2}/\d{2}/"
                         r"\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl")
RECORDS = json.dumps([{"island": "Biscoe", "bill_length_mm": 50.0, "bill_depth_mm": 15.0,
                       "flipper_length_mm": 220, "body_mass_g": 5500, "sex": "male", "year": 2008}])


@pytest.fixture(scope="module")
def bucket(cloud):
    cloud.client("s3").create_bucket(Bucket=BUCKET)
    return BUCKET


@pytest.fixture(scope="module")
def kms_key(cloud):
    return cloud.client("kms").create_key(Description="capture")["KeyMetadata"]["Arn"]


def _config(percent=100, mode="InputAndOutput", header=True, kms=None) -> dict:
    config = {"EnableCapture": True, "InitialSamplingPercentage": percent,
              "DestinationS3Uri": f"s3://{BUCKET}/data-capture", "CaptureOptions": [{"CaptureMode": mode}]}
    if header:
        config["CaptureContentTypeHeader"] = {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]}
    if kms:
        config["KmsKeyId"] = kms
    return config


def _captured(cloud, endpoint: str) -> dict[str, list[dict]]:
    """variant -> capture lines, after the buffers are written."""
    cloud.fleets.flush(force=True)
    s3 = cloud.client("s3")
    found: dict[str, list[dict]] = {}
    for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"data-capture/{endpoint}/").get("Contents", []):
        match = KEY_PATTERN.fullmatch(item["Key"])
        assert match, item["Key"]
        text = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read().decode()
        found.setdefault(match["variant"], []).extend(json.loads(line) for line in text.splitlines())
    return found


def test_lines_and_keys_in_sagemakers_format(cloud, models, bucket, kms_key, start, runtime):
    fleet = start(models.linear, endpoint="captured", data_capture=_config(kms=kms_key))
    cloud.router.set_routes("captured", Routes(((fleet, 1.0),)))
    csv_answer = runtime.invoke_endpoint(EndpointName="captured", Body=PENGUIN_ROW, ContentType="text/csv",
                                         InferenceId="ground-truth-7")["Body"].read().decode()
    runtime.invoke_endpoint(EndpointName="captured", Body=RECORDS, ContentType="application/json",
                            Accept="text/csv")
    lines = _captured(cloud, "captured")["AllTraffic"]
    assert len(lines) == 2
    first, second = lines
    assert set(first) == {"captureData", "eventMetadata", "eventVersion"} and first["eventVersion"] == "0"
    assert first["captureData"]["endpointInput"] == {
        "observedContentType": "text/csv", "mode": "INPUT", "data": PENGUIN_ROW, "encoding": "CSV"}
    assert first["captureData"]["endpointOutput"] == {
        "observedContentType": "application/json", "mode": "OUTPUT", "data": csv_answer, "encoding": "JSON"}
    assert first["eventMetadata"]["inferenceId"] == "ground-truth-7"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", first["eventMetadata"]["inferenceTime"])
    assert second["captureData"]["endpointInput"]["encoding"] == "JSON"
    assert second["captureData"]["endpointOutput"]["data"] == "Gentoo\n"
    assert "inferenceId" not in second["eventMetadata"]
    assert first["eventMetadata"]["eventId"] != second["eventMetadata"]["eventId"]
    [item] = cloud.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="data-capture/captured/")["Contents"]
    head = cloud.client("s3").head_object(Bucket=BUCKET, Key=item["Key"])
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == kms_key


def test_without_a_content_type_header_data_is_base64_and_input_mode_captures_input_only(
        cloud, models, bucket, start, runtime):
    fleet = start(models.linear, endpoint="captured-b64", data_capture=_config(mode="Input", header=False))
    cloud.router.set_routes("captured-b64", Routes(((fleet, 1.0),)))
    runtime.invoke_endpoint(EndpointName="captured-b64", Body=PENGUIN_ROW, ContentType="text/csv")
    [line] = _captured(cloud, "captured-b64")["AllTraffic"]
    assert set(line["captureData"]) == {"endpointInput"}
    captured = line["captureData"]["endpointInput"]
    assert captured["encoding"] == "BASE64" and base64.b64decode(captured["data"]).decode() == PENGUIN_ROW


def test_sampling_and_errors(cloud, models, bucket, start, runtime):
    fleet = start(models.linear, endpoint="captured-none", data_capture=_config(percent=0))
    cloud.router.set_routes("captured-none", Routes(((fleet, 1.0),)))
    runtime.invoke_endpoint(EndpointName="captured-none", Body=PENGUIN_ROW, ContentType="text/csv")
    assert _captured(cloud, "captured-none") == {}


def test_a_shadow_gets_a_mirrored_copy_captured_with_the_same_event_id(cloud, models, bucket, start, runtime):
    capture = _config()
    production = start(models.linear, endpoint="shadowed", variant="AllTraffic", config="shadowed-cfg",
                       data_capture=capture)
    shadow = start(models.forest, endpoint="shadowed", variant="Shadow", config="shadowed-cfg",
                   data_capture=capture, shadow=True)
    results = []
    cloud.router.add_shadow_listener(lambda result: results.append(result))
    cloud.router.set_routes("shadowed", Routes(((production, 1.0),), shadows=((shadow, 1.0),)))
    for _ in range(3):
        answer = runtime.invoke_endpoint(EndpointName="shadowed", Body=PENGUIN_ROW, ContentType="text/csv")
        assert answer["InvokedProductionVariant"] == "AllTraffic"
    deadline = time.monotonic() + 10
    while len([r for r in results if r.endpoint_name == "shadowed"]) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    captured = _captured(cloud, "shadowed")
    production_ids = {line["eventMetadata"]["eventId"] for line in captured["AllTraffic"]}
    shadow_ids = {line["eventMetadata"]["eventId"] for line in captured["Shadow"]}
    assert len(production_ids) == 3 and shadow_ids == production_ids
    ours = [r for r in results if r.endpoint_name == "shadowed"]
    assert {r.event_id for r in ours} == production_ids
    assert all(r.shadow_fleet is shadow and r.production_fleet is production and r.shadow_answer.ok for r in ours)


@pytest.mark.parametrize("change, problem", [
    ({"InitialSamplingPercentage": 101}, "InitialSamplingPercentage must be an integer from 0 to 100, got 101"),
    ({"DestinationS3Uri": "bucket/prefix"}, "DestinationS3Uri must be an s3:// URI, got 'bucket/prefix'"),
    ({"CaptureOptions": [{"CaptureMode": "Both"}]}, "CaptureOptions must list CaptureMode values among"),
])
def test_an_invalid_capture_config_is_refused_at_start(cloud, models, change, problem):
    spec = FleetSpec("bad-capture", "bad-capture", "AllTraffic", models.linear, "ml.m5.large", 1,
                     {**_config(), **change})
    with pytest.raises(FleetStartError) as raised:
        cloud.fleets.start_fleet(spec)
    assert problem in str(raised.value)
