"""Stream one CSV through our core (profile_csv + check_constraints) in a process of its own.

Usage: python -m bench.validation.stream_runner --impl core|pandas-chunks --path FILE
       --workdir DIR [--chunksize 100000]

pandas-chunks reads the same chunks and only counts rows: the floor that parsing alone sets
for time and memory, to tell the core's own cost apart. Prints one JSON object, with the
process's whole-life peak RSS (VmHWM) read at the end.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from bench.validation.runner import Timer, memory_mb


def run_core(path: Path, workdir: Path, chunksize: int) -> dict:
    from mlops_core.data_quality import check_constraints, profile_csv

    folder = workdir / "core-contract"
    baseline = json.loads((folder / "statistics.json").read_text())
    constraints = json.loads((folder / "constraints.json").read_text())
    statistics = profile_csv(path, chunksize=chunksize)
    violations = check_constraints(statistics, constraints, baseline=baseline)
    return {"rows": statistics["dataset"]["item_count"],
            "violations": sorted((v["constraint_check_type"], v["feature_name"]) for v in violations["violations"])}


def run_chunks(path: Path, chunksize: int) -> dict:
    rows = 0
    with pd.read_csv(path, chunksize=chunksize) as reader:
        for chunk in reader:
            rows += len(chunk)
    return {"rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--impl", choices=["core", "pandas-chunks"], required=True)
    parser.add_argument("--path", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--chunksize", type=int, default=100_000)
    args = parser.parse_args()
    with Timer() as timer:
        if args.impl == "core":
            out = run_core(args.path, args.workdir, args.chunksize)
        else:
            out = run_chunks(args.path, args.chunksize)
    print(json.dumps({**out, "impl": args.impl, "chunksize": args.chunksize, "seconds": timer.seconds(),
                      "peak_rss_mb": round(memory_mb("VmHWM"), 1)}))


if __name__ == "__main__":
    main()
