"""Run a benchmark child process (`python -m ...` from the repo root) and parse its report.

Peak memory comes from the child itself: VmHWM in /proc/self/status, read at its end. exec
gives the child a fresh address space, so that figure is the child's own whole-life peak.
The rusage of the child (os.wait4 / RUSAGE_CHILDREN ru_maxrss) is *not* used: Linux folds
the parent's high-water mark into it when the forked child execs (exec_mmap keeps the old
mm's peak), so it reads at least the parent's RSS, which here is the generator's.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
MAIN_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
PEERS_PYTHON = REPO_ROOT / ".build" / "bench-peers-venv" / "bin" / "python"


@dataclass
class ChildResult:
    output: dict  # the child's last stdout line, parsed as JSON
    peak_rss_mb: float  # the child's whole-life VmHWM
    wall_s: float
    busy_before: float = 0.0  # share of both cores busy with other work when it started


def busy_share(seconds: float = 1.0) -> float:
    """Share of all cores' time not idle over `seconds` (from /proc/stat), while we only sleep."""
    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait

    total, idle = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 1.0 - (idle2 - idle) / max(total2 - total, 1)


def wait_for_quiet(max_wait_s: float, threshold: float = 0.25) -> float:
    """Wait (at most `max_wait_s`) until other work uses under `threshold` of the machine, so
    a shared machine's load spikes hit fewer runs; returns the last busy share seen."""
    deadline = time.monotonic() + max_wait_s
    busy = busy_share()
    while busy > threshold and time.monotonic() < deadline:
        busy = busy_share(2.0)
    return round(busy, 2)


class ChildFailed(RuntimeError):
    pass


def run_child(python: Path, args: list[str]) -> ChildResult:
    """Run `python -m <args>`; fail with the child's stderr tail if it fails."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "GX_ANALYTICS_ENABLED": "false"}
    started = time.perf_counter()
    child = subprocess.run([str(python), "-m", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise ChildFailed(f"{python} -m {' '.join(args)} exited {child.returncode}:\n{child.stderr[-3000:]}")
    output = json.loads(child.stdout.strip().splitlines()[-1])
    return ChildResult(output, output["peak_rss_mb"], wall)
