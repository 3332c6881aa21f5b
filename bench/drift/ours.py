"""Our peer (project venv): Evidently's distances by mlops_core.data_quality.drift_profile.

`python -m bench.drift.ours <workdir> --mode in-process|streaming [--chunk-rows N]`
- in-process: both datasets loaded whole as DataFrames, each summarised exactly (max_points =
  rows, so the distances are the exact ones), then compared;
- streaming: both datasets read ``chunk-rows`` rows at a time from the files and summarised with
  the default bounded summaries (QuantileSummary's max_points): memory does not grow with rows
  (``--passes N`` reads each file N times, i.e. N times the rows, to show it).
Prints one JSON line: per-feature method, distance, error bound and verdict, timings, peak RSS.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.drift import dataset
from bench.drift.measure import report
from mlops_core.data_quality.drift_profile import DriftProfile, evidently_drift
from mlops_core.data_quality.quantile_summary import DEFAULT_MAX_POINTS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--mode", choices=("in-process", "streaming"), required=True)
    parser.add_argument("--chunk-rows", type=int, default=100_000)
    parser.add_argument("--passes", type=int, default=1, help="streaming: read each dataset this many times "
                        "(as if it had that many times the rows), to show memory does not grow")
    args = parser.parse_args()
    meta = dataset.read_meta(args.workdir)
    load_s = 0.0
    started, cpu = time.perf_counter(), time.process_time()
    if args.mode == "in-process":
        loaded = time.perf_counter()
        frames = {which: dataset.frame(args.workdir, which, meta) for which in ("reference", "current")}
        load_s = time.perf_counter() - loaded
        started, cpu = time.perf_counter(), time.process_time()
        profiles = {}
        for which, frame in frames.items():
            profiles[which] = DriftProfile(max_points=max(meta["rows"], DEFAULT_MAX_POINTS))
            profiles[which].update(frame)
    else:
        profiles = {}
        for which in ("reference", "current"):
            profiles[which] = DriftProfile()
            for _ in range(args.passes):
                for chunk in dataset.chunks(args.workdir, which, meta, args.chunk_rows):
                    profiles[which].update(chunk)
    drift = evidently_drift(profiles["reference"], profiles["current"])
    check_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    report({"peer": f"ours-{args.mode}", "passes": args.passes, "load_s": round(load_s, 3), "check_s": round(check_s, 3),
            "cpu_s": round(cpu_s, 3),
            "features": {name: {"method": d.method, "distance": d.distance, "threshold": d.threshold,
                                "drifted": d.drifted, "error_bound": d.error_bound} for name, d in drift.items()}})


if __name__ == "__main__":
    main()
