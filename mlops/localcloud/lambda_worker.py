"""A warm Lambda worker: one process per function, like a Lambda execution environment.

Started by `lambda_runtime.LambdaRuntime` with the function's environment (its own variables,
credentials of its role, the local endpoint). Reads one JSON request per line on stdin,
invokes the handler and writes one JSON answer per line to the file descriptor named by
MLOPS_WORKER_RESPONSE_FD, so the handler's own stdout (Powertools logs, EMF metrics) stays a log.
This file is run by path, never imported by production code.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
import uuid


class LambdaContext:
    """The attributes of the Lambda Python runtime's context object that handlers use."""

    def __init__(self, request_id: str, deadline: float) -> None:
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = os.environ["MLOPS_FUNCTION_ARN"]
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def _load_handler(spec: str):
    module_name, _, function_name = spec.rpartition(".")
    module = importlib.import_module(module_name.replace("/", "."))
    return getattr(module, function_name)


def main() -> None:
    code_dir = os.environ["LAMBDA_TASK_ROOT"]
    # Run as a script, sys.path[0] is this file's folder: replace it with the code asset so the
    # function imports exactly what its asset ships (its own copy of mlops_core included).
    sys.path[0] = code_dir
    os.chdir(code_dir)
    out = os.fdopen(int(os.environ["MLOPS_WORKER_RESPONSE_FD"]), "w", buffering=1)
    timeout = float(os.environ.get("MLOPS_FUNCTION_TIMEOUT", "3"))
    handler = None
    init_error = None
    try:
        handler = _load_handler(os.environ["_HANDLER"])
    except Exception as exc:  # reported on every invoke, as Lambda reports Runtime.ImportModuleError
        init_error = {
            "errorMessage": f"Unable to import module '{os.environ['_HANDLER']}': {exc}",
            "errorType": "Runtime.ImportModuleError",
            "stackTrace": traceback.format_exc().splitlines(),
        }
    for line in sys.stdin:
        request = json.loads(line)
        request_id = request.get("request_id") or str(uuid.uuid4())
        print(f"START RequestId: {request_id} Version: $LATEST", flush=True)
        if init_error is not None:
            answer = {"errored": True, "payload": init_error}
        else:
            context = LambdaContext(request_id, time.time() + timeout)
            try:
                result = handler(request["event"], context)
                answer = {"errored": False, "payload": result}
            except Exception as exc:
                # Lambda reports the handler's frames only, not its runtime's.
                frames = traceback.format_tb(exc.__traceback__.tb_next)
                print(f"[ERROR] {type(exc).__name__}: {exc}", "".join(frames), sep="\n", file=sys.stderr)
                answer = {
                    "errored": True,
                    "payload": {"errorMessage": str(exc), "errorType": type(exc).__name__, "stackTrace": frames},
                }
        print(f"END RequestId: {request_id}", flush=True)
        sys.stdout.flush()
        sys.stderr.flush()
        out.write(json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()
