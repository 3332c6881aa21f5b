"""Capture lines and objects, and metric batching, without a cloud: the pure parts."""

from __future__ import annotations

import base64
import json
from datetime import datetime

from moto.cloudwatch.models import cloudwatch_backends

from mlops.localcloud.serving.capture import CaptureConfig, CaptureWriter
from mlops.localcloud.serving.invocation import ContainerAnswer, Invocation
from mlops.localcloud.serving.metrics import RuntimeMetrics

CONFIG = CaptureConfig.parse({"InitialSamplingPercentage": 50, "DestinationS3Uri": "s3://bucket/capture/",
                              "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
                              "CaptureContentTypeHeader": {"CsvContentTypes": ["TEXT/CSV"]}})


class RecordingS3:
    def __init__(self) -> None:
        self.objects: dict[str, dict] = {}

    def put_object(self, **request) -> None:
        self.objects[request["Key"]] = request


def _invocation(body: bytes, draw: float = 10.0) -> Invocation:
    return Invocation("ep", body, "text/csv; charset=utf-8", None, None, None, None, "event-1", 0.0, draw)


def _answer(when: datetime) -> ContainerAnswer:
    return ContainerAnswer(200, b"1\n", "text/csv", 0.001, when)


def test_the_config_reads_options_and_samples_by_the_requests_draw():
    assert (CONFIG.capture_input, CONFIG.capture_output, CONFIG.prefix) == (True, True, "capture")
    assert CONFIG.samples(_invocation(b"", draw=49.9)) and not CONFIG.samples(_invocation(b"", draw=50.0))
    assert CaptureConfig.parse({"EnableCapture": False}) is None and CaptureConfig.parse(None) is None


def test_bytes_that_are_not_text_are_captured_as_base64_even_for_a_csv_type():
    record = CONFIG.record(_invocation(b"\xff\xfe"), _answer(datetime(2026, 1, 2, 3, 4, 5)))
    captured = record["captureData"]["endpointInput"]
    assert captured["encoding"] == "BASE64" and base64.b64decode(captured["data"]) == b"\xff\xfe"
    assert captured["observedContentType"] == "text/csv; charset=utf-8"  # as sent, parameters included
    assert record["captureData"]["endpointOutput"]["encoding"] == "CSV"
    assert record["eventMetadata"] == {"eventId": "event-1", "inferenceTime": "2026-01-02T03:04:05Z"}


def test_a_flush_writes_one_object_per_hour_folder():
    s3 = RecordingS3()
    writer = CaptureWriter(s3=s3, config=CONFIG, endpoint="ep", variant="AllTraffic")
    writer.add(_invocation(b"a,1"), _answer(datetime(2026, 1, 2, 3, 59, 58, 123000)))
    writer.add(_invocation(b"b,2"), _answer(datetime(2026, 1, 2, 3, 59, 59)))
    writer.add(_invocation(b"c,3"), _answer(datetime(2026, 1, 2, 4, 0, 1)))
    writer.flush(force=True)
    keys = sorted(s3.objects)
    assert [k.rsplit("/", 1)[0] for k in keys] == ["capture/ep/AllTraffic/2026/01/02/03",
                                                   "capture/ep/AllTraffic/2026/01/02/04"]
    assert keys[0].rsplit("/", 1)[1].startswith("59-58-123-") and keys[1].rsplit("/", 1)[1].startswith("00-01-000-")
    lines = s3.objects[keys[0]]["Body"].decode().splitlines()
    assert [json.loads(line)["captureData"]["endpointInput"]["data"] for line in lines] == ["a,1", "b,2"]
    writer.flush(force=True)
    assert len(s3.objects) == 2  # nothing new, nothing written


def test_metrics_fold_into_values_and_counts_of_at_most_150():
    metrics = RuntimeMetrics(account="210987654321", region="eu-west-3")
    when = datetime(2026, 1, 2, 3, 4, 5, 678)
    for latency in range(200):
        metrics.record(endpoint="ep", variant="v", config="c", served_at=when, status=200, model_us=float(latency),
                       overhead_us=5.0)
    metrics.flush()
    data = cloudwatch_backends["210987654321"]["eu-west-3"].metric_data
    model = [d for d in data if d.name == "ModelLatency" and len(d.dimensions) == 3]
    assert sorted(d.value for d in model) == [float(v) for v in range(200)]
    assert {d.timestamp for d in data} == {datetime(2026, 1, 2, 3, 4, 5)}
    invocations = [d for d in data if d.name == "Invocations" and len(d.dimensions) == 2]
    assert len(invocations) == 200 and {d.unit for d in invocations} == {"Count"}
