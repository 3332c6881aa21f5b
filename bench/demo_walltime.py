"""Benchmark: wall time of `mlops demo` after install (synth + provision + the whole pipeline).

Usage: .venv/bin/python bench/demo_walltime.py [--runs N]
Prints each run's wall time, the median, and the machine it ran on, for the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    mlops = Path(sys.executable).with_name("mlops")
    times = []
    for run in range(args.runs):
        started = time.perf_counter()
        result = subprocess.run([str(mlops), "demo"], cwd=REPO_ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"run {run + 1} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        times.append(elapsed)
        print(f"run {run + 1}: {elapsed:.1f} s")
    print(f"median: {statistics.median(times):.1f} s over {len(times)} runs")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
