"""The front's handle on one container worker process (`container_worker.py`).

A socket pair wrapped in multiprocessing connections carries length-prefixed frames: cheaper
than another HTTP hop, and a dead process shows as EOF on the next read.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from multiprocessing.connection import Connection
from pathlib import Path

WORKER_SCRIPT = Path(__file__).with_name("container_worker.py")


class WorkerGone(Exception):
    """The process exited (or was killed) before answering."""


class WorkerTimedOut(Exception):
    """No answer within the container's time limit."""


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, conn: Connection, log_path: Path) -> None:
        self.process = process
        self.conn = conn
        self.log_path = log_path

    @classmethod
    def start(cls, *, python: str, env: dict[str, str], cwd: Path, log_path: Path) -> "WorkerProcess":
        front, back = socket.socketpair()
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log:
            try:
                process = subprocess.Popen(
                    [python, str(WORKER_SCRIPT)], cwd=cwd, env={**env, "MLOPS_SERVING_FD": str(back.fileno())},
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, pass_fds=(back.fileno(),),
                    start_new_session=True,  # a Ctrl-C in the terminal goes to the cloud, which stops its workers
                )
            finally:
                back.close()
        return cls(process, Connection(front.detach()), log_path)

    def wait_ready(self, timeout: float) -> str | None:
        """None once the model is loaded; else why the container did not become healthy."""
        try:
            if not self.conn.poll(timeout):
                return f"the container did not answer the ping health check within {timeout:.0f} seconds"
            answer = json.loads(self.conn.recv_bytes())
        except (EOFError, OSError):
            return f"the container exited during startup (exit code {self._exit_code()})"
        return None if answer.get("ready") else answer.get("error") or "the container reported a failure"

    def call(self, header: dict, body: bytes, timeout: float) -> tuple[dict, bytes]:
        try:
            self.conn.send_bytes(json.dumps(header).encode())
            self.conn.send_bytes(body)
            if not self.conn.poll(timeout):
                raise WorkerTimedOut
            return json.loads(self.conn.recv_bytes()), self.conn.recv_bytes()
        except (EOFError, OSError) as exc:
            raise WorkerGone(f"exit code {self._exit_code()}") from exc

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def stop(self, grace: float = 5.0) -> None:
        """Close the connection (the worker exits at EOF); kill what is left after `grace`."""
        try:
            self.conn.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the script may have started children
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()

    def _exit_code(self) -> str:
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "unknown: the process is still running"
        return f"{code}" if code >= 0 else f"{128 - code}, killed by signal {-code}"
