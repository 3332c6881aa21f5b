"""Running a job's command as SageMaker runs a container: a clean environment, captured
logs, MaxRuntimeInSeconds enforced, and nothing the job started left running afterwards."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mlops.localcloud.sagemaker.outcome import JobError

# SageMaker sends SIGTERM and kills 120 s later. Locally a short grace keeps a job that
# ignores SIGTERM from holding a test run or a demo for two minutes.
STOP_GRACE_SECONDS = 10.0
# What the SageMaker scikit-learn image sets for every job: logs arrive as they are printed.
IMAGE_ENV = {"PYTHONUNBUFFERED": "TRUE", "PYTHONDONTWRITEBYTECODE": "TRUE"}
# Only these are inherited: the job must not see the embedded cloud's own AWS credentials.
INHERITED_ENV = ("HOME", "LANG")
_OPT_ML = re.compile(r"(?<![\w.-])/opt/ml(?![\w.-])")


@dataclass(frozen=True)
class LogLine:
    timestamp: float  # seconds since the epoch, when the line was read
    text: str
    stream: str       # "stdout" | "stderr" | "runner"


class JobLog:
    """The job's log in arrival order (both pipes are read concurrently)."""

    def __init__(self) -> None:
        self._lines: list[LogLine] = []
        self._lock = threading.Lock()

    def add(self, text: str, stream: str = "runner") -> None:
        # The runner's own lines are marked, as the toolkit's are, so they read apart from the job's.
        prefix = "[sagemaker-local] " if stream == "runner" else ""
        with self._lock:
            self._lines.extend(LogLine(time.time(), prefix + part if part else part, stream)
                               for part in text.split("\n"))

    @property
    def lines(self) -> list[LogLine]:
        with self._lock:
            return list(self._lines)

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def stderr_tail(self, count: int = 20) -> str:
        return "\n".join([line.text for line in self.lines if line.stream == "stderr"][-count:])


@dataclass(frozen=True)
class ContainerExit:
    exit_code: int   # as a container reports it: 128 + N when killed by signal N
    timed_out: bool


def rebase(root: Path, container_path: str) -> Path:
    """A container path such as /opt/ml/processing/input, under the job's temporary root."""
    path = PurePosixPath(container_path)
    if not path.is_absolute() or ".." in path.parts:
        raise JobError(f"ClientError: {container_path!r} must be an absolute path without '..'")
    return root.joinpath(*path.parts[1:])


def rewrite_opt_ml(root: Path, arg: str) -> str:
    return _OPT_ML.sub(lambda _: f"{root}/opt/ml", arg)


def python_shims(bin_dir: Path, python: str) -> Path:
    """`python` and `python3` that run the given interpreter. Wrappers, not symlinks: a symlink
    to a venv's python starts the base interpreter, because CPython looks for pyvenv.cfg
    next to the path it was invoked by."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in ("python", "python3"):
        shim = bin_dir / name
        shim.write_text(f'#!/bin/sh\nexec {shlex.quote(python)} "$@"\n')
        shim.chmod(0o755)
    return bin_dir


def base_env(bin_dir: Path, region: str | None) -> dict[str, str]:
    env = {name: os.environ[name] for name in INHERITED_ENV if name in os.environ}
    env["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
    if region:  # SageMaker tells every container its region; that grants no access
        env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = region
    return {**env, **IMAGE_ENV}


def run_container(cmd: list[str], *, env: dict, cwd: Path, log: JobLog, max_runtime: float | None) -> ContainerExit:
    try:
        # A session of its own, so stopping the job reaches everything it started.
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        raise JobError(f"ClientError: cannot start the container command {cmd[0]!r}: {exc.strerror or exc}") from exc
    readers = [_pump(proc.stdout, log, "stdout"), _pump(proc.stderr, log, "stderr")]
    timed_out = False
    try:
        proc.wait(timeout=max_runtime)
    except subprocess.TimeoutExpired:
        timed_out = True
        _stop(proc)
    finally:
        _signal_group(proc.pid, signal.SIGKILL)  # the container is gone: so are its children
        for reader in readers:
            reader.join(timeout=5)
    code = proc.returncode
    return ContainerExit(128 - code if code < 0 else code, timed_out)


def _pump(pipe, log: JobLog, stream: str) -> threading.Thread:
    def read() -> None:
        with pipe:
            for raw in iter(pipe.readline, b""):
                log.add(raw.decode("utf-8", "replace").rstrip("\r\n"), stream)

    thread = threading.Thread(target=read, daemon=True, name=f"job-{stream}")
    thread.start()
    return thread


def _stop(proc: subprocess.Popen) -> None:
    _signal_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        _signal_group(proc.pid, signal.SIGKILL)
        proc.wait()


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone
