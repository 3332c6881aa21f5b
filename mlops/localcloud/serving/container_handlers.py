"""The serving toolkit's request path: an inference script's handlers, with the defaults filled in.

model_fn once at start; per request input_fn -> predict_fn -> output_fn (or the script's own
transform_fn). output_fn may return the body alone or `(body, content_type)`. An exception with
an int `status_code` (the toolkit's errors, our inference.py's) is answered with that status and
its message; anything else is a 500 whose message names the exception. The traceback goes to the
container log, never into the answer.

Loaded by path inside a container worker process, like `container_defaults`.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass

JSON = "application/json"
HANDLERS = ("input_fn", "predict_fn", "output_fn")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str


class Transformer:
    def __init__(self, module, defaults, model_dir: str) -> None:
        self._defaults = defaults
        self._transform_fn = getattr(module, "transform_fn", None)
        if self._transform_fn is not None and any(hasattr(module, name) for name in HANDLERS):
            raise TypeError(f"{module.__name__} defines transform_fn and input_fn, predict_fn or output_fn: "
                            "use transform_fn alone or the other three.")
        self._input_fn = getattr(module, "input_fn", defaults.default_input_fn)
        self._predict_fn = getattr(module, "predict_fn", defaults.default_predict_fn)
        self._output_fn = getattr(module, "output_fn", defaults.default_output_fn)
        self.model = getattr(module, "model_fn", defaults.default_model_fn)(model_dir)
        self._default_accept = os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT") or JSON

    def transform(self, body: bytes, content_type: str | None, accept: str | None) -> Reply:
        content_type = content_type or JSON  # the toolkit's default request type
        # The toolkit hands output_fn a concrete type: no header or */* means the default.
        if not accept or accept.strip() == "*/*":
            accept = self._default_accept
        try:
            if self._transform_fn is not None:
                result = self._transform_fn(self.model, body, content_type, accept)
            else:
                result = self._output_fn(self._predict_fn(self._input_fn(body, content_type), self.model), accept)
            return _reply(result, accept)
        except Exception as exc:  # the container answers every request, whatever the script does
            return error_reply(exc)


def _reply(result, accept: str) -> Reply:
    body, content_type = result if isinstance(result, tuple) and len(result) == 2 else (result, accept)
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError(f"output_fn returned {type(body).__name__}; the response body must be str or bytes")
    return Reply(200, bytes(body), str(content_type or accept))


def error_reply(exc: BaseException) -> Reply:
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and not isinstance(status, bool) and 400 <= status <= 599:
        message = str(exc) or type(exc).__name__
    else:
        status, message = 500, f"{type(exc).__name__}: {exc}"
        traceback.print_exception(exc, file=sys.stderr)
    return Reply(status, message.encode("utf-8"), "text/plain")
