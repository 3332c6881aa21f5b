"""Runs Lambda functions from their code assets in warm worker processes.

moto records functions but, without Docker, never runs their code. This runtime does: the
function's zip is fetched from the S3 location the template names, unpacked once, and a
worker process per function (`lambda_worker.py`) keeps the handler warm, with the function's
environment and credentials of its own role. Invocations of one function are serialised
(reserved concurrency 1), which keeps the local machine's two cores for the jobs.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from mlops.localcloud.credentials import assume_role_env

WORKER_SCRIPT = Path(__file__).with_name("lambda_worker.py")


@dataclass
class FunctionSpec:
    name: str
    arn: str
    handler: str
    role_arn: str
    code_bucket: str
    code_key: str
    environment: dict[str, str] = field(default_factory=dict)
    timeout: int = 3
    memory: int = 128


@dataclass
class InvocationResult:
    payload: object
    errored: bool
    logs: str


class _Worker:
    def __init__(self, process: subprocess.Popen, responses, log_path: Path) -> None:
        self.process = process
        self.responses = responses
        self.log_path = log_path
        self.lock = threading.Lock()


class LambdaRuntime:
    def __init__(self, *, endpoint_url: str, region: str, workdir: Path, python: str = sys.executable) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self.workdir = workdir
        self.python = python
        self._specs: dict[str, FunctionSpec] = {}
        self._workers: dict[str, _Worker] = {}
        self._lock = threading.Lock()

    def register(self, spec: FunctionSpec) -> None:
        self._specs[spec.name] = spec

    def knows(self, function_name: str) -> bool:
        return function_name in self._specs

    def invoke(self, function_name: str, event: object) -> InvocationResult:
        spec = self._specs[function_name]
        worker = self._worker(spec)
        with worker.lock:
            start = worker.log_path.stat().st_size if worker.log_path.exists() else 0
            request_id = str(uuid.uuid4())
            try:
                worker.process.stdin.write(json.dumps({"event": event, "request_id": request_id}) + "\n")
                worker.process.stdin.flush()
                answer = self._read_answer(worker, spec)
            except (BrokenPipeError, TimeoutError) as exc:
                self._discard(spec.name)
                message = (
                    f"Task timed out after {spec.timeout:.2f} seconds"
                    if isinstance(exc, TimeoutError)
                    else "Runtime exited without providing a reason"
                )
                answer = {"errored": True, "payload": {"errorMessage": message, "errorType": "Sandbox.Timedout"
                                                       if isinstance(exc, TimeoutError) else "Runtime.ExitError"}}
            logs = _read_from(worker.log_path, start)
        return InvocationResult(payload=answer["payload"], errored=answer["errored"], logs=logs)

    def _read_answer(self, worker: _Worker, spec: FunctionSpec) -> dict:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(worker.responses.readline()), daemon=True)
        reader.start()
        reader.join(spec.timeout + 1)
        if reader.is_alive():
            raise TimeoutError
        if not result or not result[0]:
            raise BrokenPipeError
        return json.loads(result[0])

    def _worker(self, spec: FunctionSpec) -> _Worker:
        with self._lock:
            worker = self._workers.get(spec.name)
            if worker is None or worker.process.poll() is not None:
                worker = self._start_worker(spec)
                self._workers[spec.name] = worker
            return worker

    def _start_worker(self, spec: FunctionSpec) -> _Worker:
        code_dir = self._unpack_code(spec)
        log_path = self.workdir / "logs" / f"{spec.name}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        read_fd, write_fd = os.pipe()
        env = self._environment(spec, code_dir)
        env["MLOPS_WORKER_RESPONSE_FD"] = str(write_fd)
        log_file = open(log_path, "ab")
        process = subprocess.Popen(
            [self.python, str(WORKER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            pass_fds=(write_fd,),
            text=True,
        )
        os.close(write_fd)
        log_file.close()
        return _Worker(process, os.fdopen(read_fd, "r"), log_path)

    def _environment(self, spec: FunctionSpec, code_dir: Path) -> dict[str, str]:
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TZ") if k in os.environ}
        env.update(spec.environment)
        env.update(assume_role_env(spec.role_arn, endpoint_url=self.endpoint_url, region=self.region,
                                   session_name=spec.name))
        env.update({
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python_embedded",
            "LAMBDA_TASK_ROOT": str(code_dir),
            "_HANDLER": spec.handler,
            "MLOPS_FUNCTION_ARN": spec.arn,
            "MLOPS_FUNCTION_TIMEOUT": str(spec.timeout),
            "PYTHONUNBUFFERED": "1",
            # No X-Ray daemon runs locally; Tracer would only log send failures.
            "POWERTOOLS_TRACE_DISABLED": "true",
        })
        return env

    def _unpack_code(self, spec: FunctionSpec) -> Path:
        s3 = boto3.client("s3", endpoint_url=self.endpoint_url, region_name=self.region,
                          aws_access_key_id="embedded", aws_secret_access_key="embedded")
        body = s3.get_object(Bucket=spec.code_bucket, Key=spec.code_key)["Body"].read()
        code_dir = self.workdir / "functions" / spec.name / spec.code_key.replace("/", "_")
        if not code_dir.exists():
            tmp = code_dir.with_suffix(".tmp")
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                archive.extractall(tmp)
            tmp.rename(code_dir)
        return code_dir

    def _discard(self, function_name: str) -> None:
        with self._lock:
            worker = self._workers.pop(function_name, None)
        if worker is not None:
            worker.process.kill()
            worker.process.wait()

    def close(self) -> None:
        for name in list(self._workers):
            self._discard(name)


def _read_from(path: Path, offset: int) -> str:
    if not path.exists():
        return ""
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read().decode("utf-8", "replace")
