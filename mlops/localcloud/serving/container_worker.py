"""One instance of a serving fleet: a process running the model's inference script.

Started by `worker_process.WorkerProcess` with the container's environment, run by path (never
imported). Its import path is the model's code folder alone, so plain-name sibling imports
(`import model_card`) resolve to this model version's files and nothing of the embedded cloud.
It loads the model (the ping health check passes once it says ready), then answers one request
at a time over the connection named by MLOPS_SERVING_FD. The script's prints and tracebacks
go to stdout/stderr: the container log.

Frames, both ways: a JSON header, then the raw body. Requests: {"content_type", "accept",
"fault": {"latency_ms", "error", "match"}?}; answers: {"status", "content_type"}.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
import time
from multiprocessing.connection import Connection

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_private(name: str):
    """A helper module of this folder, under a name no inference script would use."""
    spec = importlib.util.spec_from_file_location(f"_mlops_serving_{name}", os.path.join(HERE, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _isolate(code_dir: str) -> None:
    """The model's code folder first on the path, and no finder that maps the embedded cloud's
    own packages (the venv's editable install finds `mlops` and `mlops_core` from anywhere; a
    SageMaker container has neither, so the model's code must bring what it imports)."""
    sys.path[0] = code_dir
    sys.meta_path[:] = [finder for finder in sys.meta_path
                        if not str(getattr(finder, "__module__", "")).startswith("__editable__")]
    os.chdir(code_dir)


def _start(conn: Connection, handlers, defaults):
    code_dir, program = os.environ["MLOPS_CODE_DIR"], os.environ["SAGEMAKER_PROGRAM"]
    _isolate(code_dir)
    try:
        module = importlib.import_module(program[:-3] if program.endswith(".py") else program)
        transformer = handlers.Transformer(module, defaults, os.environ["MLOPS_MODEL_DIR"])
    except BaseException as exc:  # SystemExit included: the container never became healthy
        import traceback

        traceback.print_exc()
        conn.send_bytes(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}).encode())
        return None
    conn.send_bytes(b'{"ready": true}')
    return transformer


def _serve(header: dict, body: bytes, transformer, handlers):
    fault = header.get("fault")
    if fault:
        time.sleep(fault.get("latency_ms", 0) / 1000)
        if fault.get("error"):
            message = f"Injected fault: {fault.get('match')} is set to fail (fault injection of the embedded cloud)"
            return handlers.Reply(500, message.encode(), "text/plain")
    return transformer.transform(body, header.get("content_type"), header.get("accept"))


def main() -> int:
    conn = Connection(int(os.environ["MLOPS_SERVING_FD"]))
    defaults, handlers = _load_private("container_defaults"), _load_private("container_handlers")
    transformer = _start(conn, handlers, defaults)
    if transformer is None:
        return 1
    while True:
        try:
            header = json.loads(conn.recv_bytes())
            body = conn.recv_bytes()
        except EOFError:  # the fleet closed the connection: stop
            return 0
        reply = _serve(header, body, transformer, handlers)
        conn.send_bytes(json.dumps({"status": reply.status, "content_type": reply.content_type}).encode())
        conn.send_bytes(reply.body)
        sys.stdout.flush()
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
