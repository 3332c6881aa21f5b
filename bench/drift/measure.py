"""What a benchmark child reports about itself: its whole-life peak RSS (VmHWM: exec gives it a
fresh address space, so this is its own figure) and its last stdout line as JSON."""

from __future__ import annotations

import json
import resource
from pathlib import Path


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(result: dict) -> None:
    print(json.dumps({**result, "peak_rss_mb": round(peak_rss_mb(), 1)}), flush=True)
