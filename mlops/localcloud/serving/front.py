"""The SageMaker runtime API, served in front of moto's dispatch (which costs ~6 ms a request).

`POST /endpoints/<name>/invocations` is InvokeEndpoint as botocore's sagemaker-runtime model
describes it: request headers Content-Type, Accept, X-Amzn-SageMaker-Custom-Attributes,
-Target-Variant, -Inference-Id; answer headers Content-Type, x-Amzn-Invoked-Production-Variant,
x-amzn-RequestId; errors in the rest-json shape (`errors.py`). `/_localcloud/faults` is the
fault injector over HTTP for the CLI and demos (`faults_http`). Every other request goes to moto
untouched. `keepalive.mount_runtime` puts this application in front of the server.
"""

from __future__ import annotations

import logging
import random
import re
import time
import uuid

from mlops.localcloud.serving.errors import RuntimeApiError, internal_failure, model_error
from mlops.localcloud.serving.faults import FaultInjector
from mlops.localcloud.serving.faults_http import FAULTS_PATH, faults_api, read_body
from mlops.localcloud.serving.invocation import Invocation
from mlops.localcloud.serving.request_checks import check_invocation
from mlops.localcloud.serving.router import EndpointRouter

LOG = logging.getLogger(__name__)
INVOKE_PATH = re.compile(r"/endpoints/([^/]+)/invocations\Z")


class RuntimeFront:
    """WSGI middleware around moto's application."""

    def __init__(self, app, *, router: EndpointRouter, faults: FaultInjector) -> None:
        self._app = app
        self._router = router
        self._faults = faults

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == FAULTS_PATH:
            return faults_api(self._faults, environ, start_response)
        match = INVOKE_PATH.match(path) if environ.get("REQUEST_METHOD") == "POST" else None
        if match:
            return self._invoke(environ, start_response, match.group(1))
        return self._app(environ, start_response)

    @staticmethod
    def serves(method: str, path: str) -> bool:
        return path == FAULTS_PATH or (method == "POST" and INVOKE_PATH.match(path) is not None)

    def _invoke(self, environ, start_response, endpoint_name: str):
        received = time.perf_counter()
        request_id = str(uuid.uuid4())
        body = read_body(environ)
        try:
            invocation = _invocation(environ, endpoint_name, body, received)
            fleet, answer = self._router.invoke(invocation)
        except RuntimeApiError as error:
            return _error(start_response, error, request_id)
        except Exception as exc:  # an embedded-cloud bug: say so, in AWS's shape
            LOG.exception("InvokeEndpoint %s failed", endpoint_name)
            return _error(start_response, internal_failure(f"The embedded cloud failed to serve the request: "
                                                            f"{type(exc).__name__}: {exc}"), request_id)
        if not answer.ok:
            return _error(start_response, model_error(
                status=answer.status, original=answer.message, endpoint=endpoint_name,
                account=self._router.account, region=self._router.region,
                timed_out=answer.failure == "timed out"), request_id)
        start_response("200 OK", [
            ("Content-Type", answer.content_type), ("Content-Length", str(len(answer.body))),
            ("x-Amzn-Invoked-Production-Variant", fleet.spec.variant_name), ("x-amzn-RequestId", request_id),
        ])
        return [answer.body]


def _invocation(environ, endpoint_name: str, body: bytes, received: float) -> Invocation:
    def header(name: str) -> str | None:
        return environ.get("HTTP_" + name.upper().replace("-", "_"))

    fields = {"customAttributes": header("X-Amzn-SageMaker-Custom-Attributes"),
              "targetVariant": header("X-Amzn-SageMaker-Target-Variant"),
              "inferenceId": header("X-Amzn-SageMaker-Inference-Id")}
    present = {key[5:].replace("_", "-").lower() for key in environ if key.startswith("HTTP_X_AMZN_SAGEMAKER_")}
    check_invocation(endpoint_name=endpoint_name, body=body, fields=fields, headers=present)
    return Invocation(
        endpoint_name=endpoint_name, body=body, content_type=environ.get("CONTENT_TYPE") or None,
        accept=header("Accept"), custom_attributes=fields["customAttributes"],
        target_variant=fields["targetVariant"], inference_id=fields["inferenceId"], event_id=str(uuid.uuid4()),
        received=received, capture_draw=random.random() * 100,
    )


def _error(start_response, error: RuntimeApiError, request_id: str):
    body = error.body()
    start_response(f"{error.status} {_REASONS.get(error.status, 'Error')}", [
        ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
        ("x-amzn-ErrorType", error.code), ("x-amzn-RequestId", request_id),
    ])
    return [body]


_REASONS = {400: "Bad Request", 424: "Failed Dependency", 500: "Internal Server Error", 503: "Service Unavailable"}
