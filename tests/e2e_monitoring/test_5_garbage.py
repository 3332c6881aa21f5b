"""A broken producer's capture lines are counted as unparseable; the check still judges the rest."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from tests.e2e_monitoring.conftest import DATA_QUALITY, ENDPOINT, VARIANT, features


def _capture_line(body: str, now: datetime) -> str:
    return json.dumps({
        "captureData": {"endpointInput": {"observedContentType": "application/json", "mode": "INPUT",
                                          "data": body, "encoding": "JSON"}},
        "eventMetadata": {"eventId": str(uuid.uuid4()), "inferenceTime": now.strftime("%Y-%m-%dT%H:%M:%SZ")},
        "eventVersion": "0"})


def test_garbage_records_are_counted_not_fatal(stack, monitoring, drifted):
    now = datetime.now(UTC)
    garbage = ["this is not JSON at all", _capture_line("{\"instances\": 42}", now),
               _capture_line("<xml>not a record</xml>", now)]
    key = f"data-capture/{ENDPOINT}/{VARIANT}/{now:%Y/%m/%d/%H}/{now:%M-%S}-000-{uuid.uuid4()}.jsonl"
    stack.s3.put_object(Bucket=stack.outputs["ArtifactsBucketName"], Key=key, Body="\n".join(garbage).encode())
    result = monitoring.run_schedule(DATA_QUALITY)
    assert result["unparseable"] == len(garbage), result
    assert result["records"] == 5 * len(features())
    assert result["status"] == "drift"
