"""A fleet: the instances serving one variant of one endpoint config, and what each request costs.

Each instance is a container worker process answering one request at a time; a request waits
for a free instance, as it queues on a SageMaker instance. A worker that dies or stops
answering is answered for (a 5xx) and replaced in the background. `close` stops taking new
requests, lets the ones in flight finish, then stops the workers: weight changes drop nothing.
Every request served is counted in the runtime metrics and, when sampled, captured; the
instances' output goes to CloudWatch Logs.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from moto.core.utils import utcnow

from mlops.localcloud.serving.capture import CaptureConfig, CaptureWriter
from mlops.localcloud.serving.container_logs import ContainerLogShipper
from mlops.localcloud.serving.invocation import ContainerAnswer, Invocation
from mlops.localcloud.serving.launcher import WorkerLauncher
from mlops.localcloud.serving.metrics import RuntimeMetrics
from mlops.localcloud.serving.model_source import ContainerSpec
from mlops.localcloud.serving.spec import FleetSpec, FleetStartError
from mlops.localcloud.serving.worker_process import WorkerGone, WorkerProcess, WorkerTimedOut

LOG = logging.getLogger(__name__)
# InvokeEndpoint: "A customer's model containers must respond to requests within 60 seconds."
CONTAINER_TIMEOUT_SECONDS = 60.0
RESTART_ATTEMPTS = 3


class Fleet:
    def __init__(self, *, spec: FleetSpec, container: ContainerSpec, launcher: WorkerLauncher,
                 workers: list[WorkerProcess], metrics: RuntimeMetrics, capture_config: CaptureConfig | None,
                 capture: CaptureWriter | None, logs: ContainerLogShipper,
                 on_close: Callable[["Fleet"], None]) -> None:
        self.spec = spec
        self.container = container
        self.identities = container.identities
        self._launcher = launcher
        self._metrics = metrics
        self._capture_config = capture_config
        self._capture = capture
        self._logs = logs
        self._on_close = on_close
        self._workers = set(workers)
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        for worker in workers:
            self._idle.put(worker)
        self._state = threading.Condition()
        self._inflight = 0
        self._closing = False
        self._closed = threading.Event()

    def __repr__(self) -> str:
        s = self.spec
        return f"Fleet({s.endpoint_name}/{s.endpoint_config_name}/{s.variant_name}{' shadow' if s.shadow else ''})"

    @property
    def accepting(self) -> bool:
        return not self._closing

    def serve(self, invocation: Invocation, fault: dict | None = None) -> ContainerAnswer | None:
        """The container's answer, counted and captured; None if the fleet no longer takes requests."""
        with self._state:
            if self._closing:
                return None
            self._inflight += 1
        try:
            answer = self._call(invocation, fault)
            self._account(invocation, answer)
            return answer
        finally:
            with self._state:
                self._inflight -= 1
                if not self._inflight:
                    self._state.notify_all()

    def _call(self, invocation: Invocation, fault: dict | None) -> ContainerAnswer:
        header = {"content_type": invocation.content_type, "accept": invocation.accept}
        if fault:
            header["fault"] = fault
        started = time.perf_counter()
        try:
            worker = self._idle.get(timeout=CONTAINER_TIMEOUT_SECONDS)
        except queue.Empty:
            return self._no_answer(started, "timed out", "no instance became free")
        try:
            reply, body = worker.call(header, invocation.body,
                                      CONTAINER_TIMEOUT_SECONDS - (time.perf_counter() - started))
        except WorkerTimedOut:
            self._replace(worker)
            return self._no_answer(started, "timed out", "the container did not answer in time")
        except WorkerGone as exc:
            self._replace(worker)
            return self._no_answer(started, "crashed", f"The model container exited while serving the request "
                                                       f"({exc}); the instance is being replaced.")
        try:
            answer = ContainerAnswer(status=int(reply["status"]), body=body, content_type=str(reply["content_type"]),
                                     model_seconds=time.perf_counter() - started, served_at=utcnow())
        except (KeyError, TypeError, ValueError) as exc:  # never happens unless the worker itself is broken
            self._replace(worker)
            return self._no_answer(started, "crashed", f"The model container answered out of protocol ({exc!r}); "
                                                       "the instance is being replaced.")
        self._idle.put(worker)
        return answer

    def _no_answer(self, started: float, failure: str, message: str) -> ContainerAnswer:
        return ContainerAnswer(status=500, body=message.encode(), content_type="text/plain",
                               model_seconds=time.perf_counter() - started, served_at=utcnow(), failure=failure)

    def _account(self, invocation: Invocation, answer: ContainerAnswer) -> None:
        model_us = answer.model_seconds * 1e6
        total_us = (time.perf_counter() - invocation.received) * 1e6
        self._metrics.record(endpoint=self.spec.endpoint_name, variant=self.spec.variant_name,
                             config=self.spec.endpoint_config_name, served_at=answer.served_at,
                             status=answer.status, model_us=model_us, overhead_us=max(0.0, total_us - model_us))
        if self._capture is not None and answer.ok and self._capture_config.samples(invocation):
            self._capture.add(invocation, answer)

    def _replace(self, worker: WorkerProcess) -> None:
        worker.kill()
        with self._state:
            self._workers.discard(worker)
            if self._closing:
                return
        threading.Thread(target=self._restart, name=f"restart {self!r}", daemon=True).start()

    def _restart(self) -> None:
        for attempt in range(1, RESTART_ATTEMPTS + 1):
            try:
                worker = self._launcher.start()
            except FleetStartError as exc:
                LOG.warning("%r: replacement instance failed to start (attempt %d): %s", self, attempt, exc)
                time.sleep(attempt)
                continue
            with self._state:
                if not self._closing:
                    self._workers.add(worker)
                    self._idle.put(worker)
                    return
            worker.stop()
            return
        LOG.error("%r: gave up replacing an instance; the fleet serves with fewer instances", self)

    def flush(self, *, force: bool = False) -> None:
        """Ship new container log lines; write the capture buffer when due (now, with force)."""
        self._logs.ship()
        if self._capture is not None:
            self._capture.flush(force=force)

    def close(self) -> None:
        """Stop taking requests, finish those in flight, stop the instances, write pending capture."""
        with self._state:
            if self._closing:
                already = True
            else:
                already, self._closing = False, True
            while self._inflight:
                self._state.wait()
            workers, self._workers = list(self._workers), set()
        if already:
            self._closed.wait()
            return
        for worker in workers:
            worker.stop()
        self.flush(force=True)
        self._on_close(self)
        self._closed.set()
