"""Time for the deployer: real by default; a test may pass a clock that never sleeps."""

from __future__ import annotations

import threading
import time


class Clock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        """Wait `seconds`, or less when `stop` is set."""
        stop.wait(max(0.0, seconds))
