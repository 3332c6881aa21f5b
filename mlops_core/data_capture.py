"""SageMaker data capture files (docs/contracts.md "Serving"), read back.

Files are `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl`, one JSON line per
captured request: `captureData.endpointInput|endpointOutput{observedContentType, mode, data,
encoding}`, `eventMetadata{eventId, inferenceId?, inferenceTime}`, `eventVersion`.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

# Under the artifacts bucket; the endpoint configs' DestinationS3Uri is s3://<bucket>/data-capture.
DATA_CAPTURE_PREFIX = "data-capture"


@dataclass(frozen=True)
class CapturedAnswer:
    event_id: str
    inference_time: datetime
    predictions: tuple[str, ...]  # one per row of the request, as text


@dataclass(frozen=True)
class CapturedRequest:
    """One capture line with its input as well (the monitor reads both sides)."""

    event_id: str
    inference_id: str | None  # the caller's InferenceId: what ground truth is joined on
    inference_time: datetime
    input_content_type: str
    input_text: str  # the request body, decoded
    output: dict[str, Any] | None  # endpointOutput as captured (None: only the input was captured)


def parse_time(text: str) -> datetime:
    """ISO 8601 as AWS writes it (`2026-11-27T10:00:00Z`, `...00.123Z`, `+00:00`), in UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)


def hour_prefixes(endpoint: str, variant: str, start: datetime, end: datetime) -> list[str]:
    """The hourly key prefixes that may hold captures of [start, end]."""
    hour = start.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    prefixes = []
    while hour <= end:
        prefixes.append(f"{DATA_CAPTURE_PREFIX}/{endpoint}/{variant}/{hour:%Y/%m/%d/%H}/")
        hour += timedelta(hours=1)
    return prefixes


def parse_line(line: str) -> CapturedAnswer:
    """One capture line; ValueError names what is wrong with it."""
    record = json.loads(line)
    try:
        metadata = record["eventMetadata"]
        output = record["captureData"]["endpointOutput"]
        event_id, when = metadata["eventId"], metadata["inferenceTime"]
    except (KeyError, TypeError) as error:
        raise ValueError(f"a capture line lacks {error}") from None
    return CapturedAnswer(str(event_id), parse_time(when), predictions(output))


def parse_request_line(line: str) -> CapturedRequest:
    """One capture line, input side included; ValueError names what is wrong with it."""
    record = json.loads(line)
    try:
        metadata = record["eventMetadata"]
        capture = record["captureData"]
        payload = capture["endpointInput"]
        event_id, when = metadata["eventId"], metadata["inferenceTime"]
        inference_id = metadata.get("inferenceId")
        text = decode(payload)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"a capture line lacks {error}") from None
    return CapturedRequest(str(event_id), None if inference_id is None else str(inference_id), parse_time(when),
                           media_type(payload.get("observedContentType")), text, capture.get("endpointOutput"))


def decode(payload: dict[str, Any]) -> str:
    """The `data` of an endpointInput/endpointOutput as text (BASE64 is decoded as UTF-8;
    ValueError when it is not valid base64)."""
    data = payload.get("data") or ""
    if payload.get("encoding") == "BASE64":
        try:
            return base64.b64decode(data, validate=True).decode("utf-8", errors="replace")
        except binascii.Error as error:
            raise ValueError(f"the captured data is not valid base64: {error}") from None
    return str(data)


def media_type(content_type: str | None) -> str:
    """`text/csv; charset=utf-8` -> `text/csv`."""
    return (content_type or "").split(";")[0].strip().lower()


def predictions(output: dict[str, Any]) -> tuple[str, ...]:
    """The predictions of a captured answer: the JSON `predictions` list (or a bare list),
    or the first field of each CSV row (inference.py's output formats)."""
    data = decode(output)
    content_type = media_type(output.get("observedContentType"))
    if output.get("encoding") == "JSON" or content_type.endswith("json"):
        document = json.loads(data)
        values = document.get("predictions", document) if isinstance(document, dict) else document
        values = values if isinstance(values, list) else [values]
        return tuple(json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else str(v) for v in values)
    return tuple(row[0] if row else "" for row in csv.reader(io.StringIO(data)))
