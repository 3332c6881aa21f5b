"""A fleet's container logs in CloudWatch Logs, where ModelError's LogStreamArn points.

SageMaker writes each instance's stdout/stderr to the log group /aws/sagemaker/Endpoints/<endpoint>,
stream <variant>/<instance id>. Workers write their output to files; each flush ships the lines
added since the last one, as the model's execution role.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

from mlops.localcloud.sagemaker.joblogs import ship_logs
from mlops.localcloud.sagemaker.container import LogLine


def log_group(endpoint_name: str) -> str:
    return f"/aws/sagemaker/Endpoints/{endpoint_name}"


class ContainerLogShipper:
    def __init__(self, *, logs_client, endpoint_name: str, variant_name: str, log_dir: Path) -> None:
        self._logs = logs_client
        self._group = log_group(endpoint_name)
        self._variant = variant_name
        self._log_dir = log_dir
        self._offsets: dict[Path, int] = {}
        self._partial: dict[Path, bytes] = {}  # a line still being written
        self._streams: dict[Path, str] = {}
        self._lock = threading.Lock()

    def ship(self) -> None:
        with self._lock:
            for path in sorted(self._log_dir.glob("*.log")):
                lines = self._new_lines(path)
                if lines:
                    ship_logs(self._logs, self._group, self._stream(path), lines)

    def _new_lines(self, path: Path) -> list[LogLine]:
        offset = self._offsets.get(path, 0)
        try:
            with open(path, "rb") as handle:
                handle.seek(offset)
                data = handle.read()
        except OSError:
            return []
        self._offsets[path] = offset + len(data)
        text = self._partial.pop(path, b"") + data
        complete, _, rest = text.rpartition(b"\n")
        if rest:
            self._partial[path] = rest
        now = time.time()
        return [LogLine(now, line.decode("utf-8", "replace"), "stdout") for line in complete.split(b"\n")
                if complete and line]

    def _stream(self, path: Path) -> str:
        if path not in self._streams:  # one EC2-style instance id per worker
            self._streams[path] = f"{self._variant}/i-{uuid.uuid4().hex[:17]}"
        return self._streams[path]
