"""One InvokeEndpoint request as the data plane carries it, and a container's answer to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Invocation:
    endpoint_name: str
    body: bytes
    content_type: str | None
    accept: str | None
    custom_attributes: str | None
    target_variant: str | None
    inference_id: str | None
    event_id: str          # data capture's eventId; a shadow copy keeps the production request's
    received: float        # time.perf_counter() when the runtime got it: OverheadLatency starts here
    capture_draw: float    # uniform in [0, 100): one draw per request, so fleets sampling the same
                           # percentage capture the same requests (production and its shadow)


@dataclass(frozen=True)
class ContainerAnswer:
    status: int            # the container's HTTP status; 500 for a crash or a timeout
    body: bytes
    content_type: str
    model_seconds: float   # ModelLatency: from handing the request to the container to its answer
    served_at: datetime    # naive UTC, as moto keeps metric timestamps
    failure: str | None = None  # "crashed" | "timed out": the container gave no answer of its own

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        return self.body.decode("utf-8", "replace")
