"""Data capture as SageMaker writes it: JSON lines under <destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/.

The endpoint config's DataCaptureConfig decides: EnableCapture (default on),
InitialSamplingPercentage, CaptureOptions (Input, Output or InputAndOutput),
CaptureContentTypeHeader (types captured as CSV or JSON text; any other type, and every type
when the header is absent, as BASE64, as the API documents), DestinationS3Uri and KmsKeyId.
Lines are buffered per fleet and written as one object every few seconds (and on close), named
like SageMaker's `<minute>-<second>-<millisecond>-<uuid>.jsonl` (docs/contracts.md, "Serving").
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from mlops.localcloud.sagemaker.s3io import AWS_ERRORS, join_key, sse_args
from mlops.localcloud.serving.invocation import ContainerAnswer, Invocation
from mlops.localcloud.serving.spec import FleetStartError

LOG = logging.getLogger(__name__)
FLUSH_SECONDS = 3.0
MODES = {"Input": (True, False), "Output": (False, True), "InputAndOutput": (True, True)}


@dataclass(frozen=True)
class CaptureConfig:
    sampling_percent: int
    bucket: str
    prefix: str
    kms_key_id: str | None
    capture_input: bool
    capture_output: bool
    csv_types: frozenset[str]
    json_types: frozenset[str]

    @classmethod
    def parse(cls, raw: dict | None) -> "CaptureConfig | None":
        """None when nothing is captured; FleetStartError names a field SageMaker would reject."""
        if not raw or raw.get("EnableCapture", True) is False:
            return None
        percent = raw.get("InitialSamplingPercentage")
        if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
            raise FleetStartError(f"DataCaptureConfig.InitialSamplingPercentage must be an integer from 0 to 100, "
                                  f"got {percent!r}")
        uri = raw.get("DestinationS3Uri")
        if not isinstance(uri, str) or not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
            raise FleetStartError(f"DataCaptureConfig.DestinationS3Uri must be an s3:// URI, got {uri!r}")
        modes = [option.get("CaptureMode") for option in raw.get("CaptureOptions") or []]
        if not modes or any(mode not in MODES for mode in modes):
            raise FleetStartError(f"DataCaptureConfig.CaptureOptions must list CaptureMode values among "
                                  f"{', '.join(MODES)}, got {modes!r}")
        header = raw.get("CaptureContentTypeHeader") or {}
        bucket, _, prefix = uri[5:].partition("/")
        return cls(
            sampling_percent=percent, bucket=bucket, prefix=prefix.strip("/"), kms_key_id=raw.get("KmsKeyId"),
            capture_input=any(MODES[m][0] for m in modes), capture_output=any(MODES[m][1] for m in modes),
            csv_types=frozenset(_media(t) for t in header.get("CsvContentTypes") or []),
            json_types=frozenset(_media(t) for t in header.get("JsonContentTypes") or []),
        )

    def samples(self, invocation: Invocation) -> bool:
        return invocation.capture_draw < self.sampling_percent

    def record(self, invocation: Invocation, answer: ContainerAnswer) -> dict:
        data = {}
        if self.capture_input:
            data["endpointInput"] = self._payload(invocation.body, invocation.content_type, "INPUT")
        if self.capture_output:
            data["endpointOutput"] = self._payload(answer.body, answer.content_type, "OUTPUT")
        metadata = {"eventId": invocation.event_id}
        if invocation.inference_id:
            metadata["inferenceId"] = invocation.inference_id
        metadata["inferenceTime"] = answer.served_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"captureData": data, "eventMetadata": metadata, "eventVersion": "0"}

    def _payload(self, body: bytes, content_type: str | None, mode: str) -> dict:
        media = _media(content_type)
        encoding = "CSV" if media in self.csv_types else "JSON" if media in self.json_types else "BASE64"
        text = None
        if encoding != "BASE64":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                encoding = "BASE64"  # not text after all: keep the bytes exactly
        if text is None:
            text = base64.b64encode(body).decode("ascii")
        return {"observedContentType": content_type or "", "mode": mode, "data": text, "encoding": encoding}


class CaptureWriter:
    """Buffers one fleet's capture lines and writes them as the model's execution role."""

    def __init__(self, *, s3, config: CaptureConfig, endpoint: str, variant: str) -> None:
        self._s3 = s3
        self._config = config
        self._folder = join_key(config.prefix, endpoint, variant)
        self._lines: list[tuple[datetime, str]] = []
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # one flush at a time keeps objects in order
        self._last_flush = time.monotonic()

    def add(self, invocation: Invocation, answer: ContainerAnswer) -> None:
        line = json.dumps(self._config.record(invocation, answer), separators=(",", ":"))
        with self._lock:
            self._lines.append((answer.served_at, line))

    def flush(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self._last_flush < FLUSH_SECONDS:
            return
        with self._write_lock:
            with self._lock:
                lines, self._lines = self._lines, []
                self._last_flush = time.monotonic()
            by_hour: dict[str, list[tuple[datetime, str]]] = {}
            for served_at, line in lines:  # an object never straddles an hour folder
                by_hour.setdefault(served_at.strftime("%Y/%m/%d/%H"), []).append((served_at, line))
            for hour, group in by_hour.items():
                self._write(hour, group)

    def _write(self, hour: str, group: list[tuple[datetime, str]]) -> None:
        first = group[0][0]
        name = f"{first:%M-%S}-{first.microsecond // 1000:03d}-{uuid.uuid4()}.jsonl"
        key = join_key(self._folder, hour, name)
        body = "".join(line + "\n" for _, line in group).encode("utf-8")
        try:
            self._s3.put_object(Bucket=self._config.bucket, Key=key, Body=body,
                                **sse_args(self._config.kms_key_id))
        except AWS_ERRORS as exc:  # as on AWS, a capture problem never fails the requests
            LOG.warning("data capture to s3://%s/%s failed: %s", self._config.bucket, key, exc)


def _media(value: str | None) -> str:
    return (value or "").split(";")[0].strip().lower()
