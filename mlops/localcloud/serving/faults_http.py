"""The fault injector over HTTP, for the CLI and demos: `/_localcloud/faults` on the cloud's URL.

GET lists the faults; POST `{"match", "error_rate"?, "latency_ms"?}` injects one (the same fields
as `FaultInjector.inject`); DELETE clears the one named by `match` (JSON body or query string),
or all of them. Answers are `{"faults": [...]}`, or 400 `{"message"}` naming what is wrong.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from mlops.localcloud.serving.faults import FaultInjector

FAULTS_PATH = "/_localcloud/faults"
FIELDS = ("match", "error_rate", "latency_ms")


def faults_api(faults: FaultInjector, environ, start_response):
    method = environ.get("REQUEST_METHOD")
    try:
        document = _json_body(environ)
        if method == "POST":
            if not isinstance(document, dict) or "match" not in document:
                raise ValueError('POST a JSON object {"match": ..., "error_rate": 0..1, "latency_ms": int}')
            unknown = sorted(set(document) - set(FIELDS))
            if unknown:
                raise ValueError(f"unknown field(s): {', '.join(unknown)}")
            faults.inject(document["match"], error_rate=document.get("error_rate", 1.0),
                          latency_ms=document.get("latency_ms", 0))
        elif method == "DELETE":
            named = document.get("match") if isinstance(document, dict) else None
            faults.clear(named or (parse_qs(environ.get("QUERY_STRING", "")).get("match") or [None])[0])
        elif method != "GET":
            return _json(start_response, "405 Method Not Allowed", {"message": "use GET, POST or DELETE"})
    except ValueError as exc:
        return _json(start_response, "400 Bad Request", {"message": str(exc)})
    return _json(start_response, "200 OK", {"faults": faults.list()})


def read_body(environ) -> bytes:
    """The whole request body (a kept-alive connection must be read to the end of it)."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        return stream.read(int(length))
    return stream.read() if environ.get("wsgi.input_terminated") else b""


def _json_body(environ):
    raw = read_body(environ)
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ValueError("the body is not valid JSON") from None


def _json(start_response, status: str, document: dict):
    body = json.dumps(document).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
