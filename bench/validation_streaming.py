"""Benchmark: stream a 5 GB CSV through our data-quality core with bounded memory.

Usage: .venv/bin/python bench/validation_streaming.py [--gb 5] [--chunksize 100000]
       [--dir .build/bench-validation]

Generates the file (distinct values throughout, see bench/validation/bigfile.py), then runs,
each in a fresh process that reports its whole-life peak RSS (VmHWM): our core
(profile_csv in chunks + check_constraints against the reference sample's contract), and
pandas reading the same chunks and doing nothing else (the parsing floor). The file is
deleted afterwards, also on failure. Target: peak under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.demo_walltime import machine  # noqa: E402
from bench.make_validation_data import DEFAULT_WORKDIR, ensure  # noqa: E402
from bench.validation import bigfile, checks_core  # noqa: E402
from bench.validation.process import MAIN_PYTHON, run_child  # noqa: E402

TARGET_MB = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gb", type=float, default=5.0, help="file size in GiB (2**30 bytes)")
    parser.add_argument("--chunksize", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=DEFAULT_WORKDIR)
    args = parser.parse_args()
    ensure(args.dir, rows=1_000_000, reference_rows=100_000)
    checks_core.setup(args.dir)  # writes core-contract/ from the reference sample
    path = args.dir / f"stream-{args.gb:g}gib.csv"
    try:
        started = time.perf_counter()
        rows, size = bigfile.write(path, int(args.gb * 2**30))
        print(f"generated {path}: {rows:,} rows, {size / 2**30:.2f} GiB in {time.perf_counter() - started:.0f} s",
              flush=True)
        results = [_measure(impl, path, args) for impl in ("pandas-chunks", "core")]
    finally:
        path.unlink(missing_ok=True)
    _print_summary(results, rows, size, args)


def _measure(impl: str, path: Path, args) -> dict:
    child = run_child(MAIN_PYTHON, ["bench.validation.stream_runner", "--impl", impl, "--path", str(path),
                                    "--workdir", str(args.dir), "--chunksize", str(args.chunksize)])
    result = {**child.output, "process_wall_s": round(child.wall_s, 1)}
    print(json.dumps(result), flush=True)
    return result


def _print_summary(results: list[dict], rows: int, size: int, args) -> None:
    print(f"\nmachine: {machine()}; load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"file: {rows:,} rows x 20 columns, {size / 2**30:.2f} GiB; chunksize {args.chunksize:,}\n")
    print("| run | wall s | CPU s | rows/s | MB/s | peak RSS MB |\n|---|---|---|---|---|---|")
    for r in results:
        wall = r["seconds"]["wall"]
        print(f"| {r['impl']} | {wall:.0f} | {r['seconds']['cpu']:.0f} | {r['rows'] / wall:,.0f} "
              f"| {size / 1e6 / wall:.0f} | {r['peak_rss_mb']:.0f} |")
    core = next(r for r in results if r["impl"] == "core")
    verdict = "met" if core["peak_rss_mb"] < TARGET_MB else "MISSED"
    print(f"\ncore peak {core['peak_rss_mb']:.0f} MB (target < {TARGET_MB} MB): {verdict}; "
          f"rows counted {core['rows']:,} of {rows:,}; violations {core.get('violations')}")


if __name__ == "__main__":
    main()
