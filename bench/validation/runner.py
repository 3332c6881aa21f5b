"""One measured run of one implementation, in its own process: parse, checks, report.

Usage (from the repo root, with either venv's python):
  python -m bench.validation.runner --impl core|pandas|pandera|gx|parse --workdir DIR
         [--engine c|pyarrow] [--strings python|default] [--repeat 3]

Prints one JSON object: wall and CPU seconds of import, setup, parse, each checks run and the
report; resident memory after parsing and the extra peak of the checks (Linux's VmHWM, reset
through /proc/self/clear_refs before each run, so parsing's peak is not counted twice); the
process's whole-life peak RSS (the largest VmHWM seen before any reset and at the end); the
(check, column) findings and whether they equal the batch's EXPECTED_FINDINGS.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import re
import statistics
import sys
import time
from pathlib import Path

MODULES = {"core": "checks_core", "pandas": "checks_pandas", "pandera": "checks_pandera", "gx": "checks_gx"}


class Timer:
    """Wall and CPU seconds of a block (CPU exceeds wall when pyarrow parses on both cores)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def seconds(self) -> dict:
        return {"wall": round(self.wall, 4), "cpu": round(self.cpu, 4)}


def memory_mb(field: str) -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


class PeakTracker:
    """VmHWM since the last reset, and the largest one seen over the process's life."""

    def __init__(self) -> None:
        self.life = 0.0

    def reset(self) -> None:
        self.life = max(self.life, memory_mb("VmHWM"))
        Path("/proc/self/clear_refs").write_text("5")

    def since_reset(self) -> float:
        return memory_mb("VmHWM")

    def life_peak(self) -> float:
        return round(max(self.life, memory_mb("VmHWM")), 1)


def run(args: argparse.Namespace) -> dict:
    import pandas as pd

    if args.strings == "python":
        pd.options.mode.string_storage = "python"
    out: dict = {"impl": args.impl, "engine": args.engine, "python": sys.executable,
                 "python_version": platform.python_version(), "pandas": pd.__version__}
    with Timer() as imported:
        module = importlib.import_module(f"bench.validation.{MODULES[args.impl]}") if args.impl in MODULES else None
    out["import_s"] = imported.seconds()
    with Timer() as setup:
        state = module.setup(args.workdir) if module else None
    out["setup_s"] = setup.seconds()
    with Timer() as parse:
        frame = pd.read_csv(args.workdir / "batch.csv", engine=args.engine)
    out.update(parse_s=parse.seconds(), rows=len(frame), columns=frame.shape[1],
               string_dtype=repr(frame["plan"].dtype), rss_after_parse_mb=round(memory_mb("VmRSS"), 1))
    peaks = PeakTracker()
    if module is not None:
        out.update(_checks_and_report(module, state, frame, args, peaks))
    return {**out, "peak_rss_mb": peaks.life_peak()}


def _checks_and_report(module, state, frame, args: argparse.Namespace, peaks: PeakTracker) -> dict:
    from bench.validation.dataset import EXPECTED_FINDINGS

    runs, extra_peaks, result = [], [], None
    for _ in range(args.repeat):
        result = None  # the previous run's result would otherwise count in this run's memory
        peaks.reset()
        before = memory_mb("VmRSS")
        with Timer() as checks:
            result = module.check(frame, state)
        extra_peaks.append(round(peaks.since_reset() - before, 1))
        runs.append(checks.seconds())
    report_path = args.workdir / "reports" / f"{args.impl}-{args.engine}-{args.strings}.json"
    report_path.parent.mkdir(exist_ok=True)
    with Timer() as reporting:
        text = module.report(result)
        report_path.write_text(text)
    found = module.findings(result)
    return {"checks_s": runs, "checks_median_s": statistics.median(r["wall"] for r in runs),
            "checks_extra_peak_mb": extra_peaks, "report_s": reporting.seconds(),
            "report_bytes": len(text), "findings": sorted(map(list, found)),
            "findings_match": found == EXPECTED_FINDINGS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", required=True, choices=[*MODULES, "parse"])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--engine", choices=["c", "pyarrow"], default="c")
    parser.add_argument("--strings", choices=["python", "default"], default="python",
                        help="python: pandas' str dtype on Python objects (as without pyarrow); "
                             "default: whatever the venv gives (pyarrow-backed when pyarrow is installed)")
    parser.add_argument("--repeat", type=int, default=3)
    print(json.dumps(run(parser.parse_args())))


if __name__ == "__main__":
    main()
