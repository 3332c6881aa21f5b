"""What the embedded cloud's schedule runners share (EventBridge Scheduler's `cloud.schedules`,
Model Monitor's `cloud.monitoring`): a replaceable clock, a background thread that looks twice
a second for due work, a pool that runs it, and `background = False` for tests that step the
clock and wait on the runs themselves instead of racing the thread for them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

LOG = logging.getLogger(__name__)
TICK_SECONDS = 0.5


class ClockedRunner:
    """Subclasses implement `_pass()` (start what is due at `clock()`, return the futures) and
    may narrow `_may_run()`."""

    def __init__(self, *, name: str, clock: Callable[[], float] = time.time, workers: int) -> None:
        self.clock = clock
        self.background = True
        self._name = name
        self._lock = threading.RLock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _pass(self) -> list[Future]:
        raise NotImplementedError

    def _may_run(self) -> bool:
        return self.background

    def _loop(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            if not self._may_run():
                continue
            try:
                self._pass()
            except Exception:  # one bad pass must not stop every schedule
                LOG.exception("%s: schedule pass failed", self._name)
