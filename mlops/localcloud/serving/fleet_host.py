"""Starts fleets for the endpoint control plane, and keeps their metrics and capture flowing.

One per EmbeddedCloud. `start_fleet` resolves the model from moto's SageMaker backend, fetches
its files as the model's execution role (so the IAM check sees those reads), starts
`instance_count` container workers (at most one per core) and returns once every one of them
answers the ping health check. A background tick flushes the runtime metrics about once a
second, ships container logs and writes each fleet's capture buffer every few seconds.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import uuid
from pathlib import Path

import boto3

from mlops.localcloud.credentials import assume_role_env
from mlops.localcloud.serving.artifacts import prepare_container_files
from mlops.localcloud.serving.capture import CaptureConfig, CaptureWriter
from mlops.localcloud.serving.container_logs import ContainerLogShipper
from mlops.localcloud.serving.fleet import Fleet
from mlops.localcloud.serving.launcher import WorkerLauncher, container_env
from mlops.localcloud.serving.metrics import RuntimeMetrics
from mlops.localcloud.serving.model_source import ContainerSpec, resolve_container
from mlops.localcloud.serving.spec import FleetSpec, FleetStartError, check_spec

LOG = logging.getLogger(__name__)
TICK_SECONDS = 1.0


class FleetHost:
    def __init__(self, *, endpoint_url: str, region: str, account: str, workdir: Path,
                 python: str = sys.executable) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self.account = account
        self.workdir = Path(workdir)
        self.python = python
        self.metrics = RuntimeMetrics(account=account, region=region)
        self._fleets: set[Fleet] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="serving-flush", daemon=True)
        self._ticker.start()

    def start_fleet(self, spec: FleetSpec) -> Fleet:
        """A serving fleet; FleetStartError says why not, in words a FailureReason can carry."""
        if self._stop.is_set():
            raise FleetStartError("The embedded cloud is stopping: no new fleets start.")
        check_spec(spec)
        capture_config = CaptureConfig.parse(spec.data_capture)
        container = resolve_container(account=self.account, region=self.region, model_name=spec.model_name)
        credentials, session = self._role(container, spec)
        s3 = session.client("s3", endpoint_url=self.endpoint_url)
        root = self.workdir / "serving" / spec.endpoint_name / f"{spec.endpoint_config_name}-{spec.variant_name}-" \
                                                               f"{uuid.uuid4().hex[:8]}"
        files = prepare_container_files(s3, container, root)
        launcher = WorkerLauncher(spec=spec, files=files, python=self.python, log_dir=root / "logs", env=container_env(
            container, files, credentials=credentials, region=self.region, endpoint_url=self.endpoint_url))
        logs = ContainerLogShipper(logs_client=session.client("logs", endpoint_url=self.endpoint_url),
                                   endpoint_name=spec.endpoint_name, variant_name=spec.variant_name,
                                   log_dir=root / "logs")
        try:
            workers = launcher.start_many(min(spec.instance_count, os.cpu_count() or 1))
        finally:  # a container that failed to start leaves its reasons where the user looks
            logs.ship()
        capture = CaptureWriter(s3=s3, config=capture_config, endpoint=spec.endpoint_name,
                                variant=spec.variant_name) if capture_config else None
        return self._register(Fleet(spec=spec, container=container, launcher=launcher, workers=workers,
                                    metrics=self.metrics, capture_config=capture_config, capture=capture, logs=logs,
                                    on_close=self._forget))

    def _register(self, fleet: Fleet) -> Fleet:
        with self._lock:
            stopping = self._stop.is_set()
            if not stopping:
                self._fleets.add(fleet)
        if stopping:  # the cloud stopped while this fleet started: leave nothing running
            fleet.close()
            raise FleetStartError("The embedded cloud is stopping: no new fleets start.")
        return fleet

    def _role(self, container: ContainerSpec, spec: FleetSpec):
        """The execution role's credentials (for the container) and a session acting as that role."""
        try:
            credentials = assume_role_env(container.role_arn, endpoint_url=self.endpoint_url, region=self.region,
                                          session_name=f"{spec.endpoint_name}-{spec.variant_name}")
        except Exception as exc:
            raise FleetStartError(f"Could not assume the execution role {container.role_arn} of model "
                                  f"{container.model_name}: {exc}") from None
        return credentials, boto3.Session(aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
                                          aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
                                          aws_session_token=credentials["AWS_SESSION_TOKEN"], region_name=self.region)

    def fleets(self) -> list[Fleet]:
        with self._lock:
            return list(self._fleets)

    def _forget(self, fleet: Fleet) -> None:
        with self._lock:
            self._fleets.discard(fleet)

    def _tick(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            self.flush()

    def flush(self, *, force: bool = False) -> None:
        """Put pending metrics now; write capture buffers that are due (all of them with force)."""
        try:
            self.metrics.flush()
            for fleet in self.fleets():
                fleet.flush(force=force)
        except Exception:  # the tick must survive whatever one flush meets
            LOG.exception("serving flush failed")

    def close(self) -> None:
        self._stop.set()
        for fleet in self.fleets():
            fleet.close()
        self._ticker.join(timeout=5)
        self.flush(force=True)
