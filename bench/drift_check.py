"""Benchmark: the drift check of 1M records x 20 features (15 numeric, 5 categorical, 5 of them
shifted) by our core against Evidently's DataDriftPreset, on the same data, in one run.

Usage: .venv/bin/python bench/drift_check.py [--rows 1000000] [--chunk-rows 100000] [--no-evidently]

Peers, each in a process of its own (bench/drift/): ours in-process (whole frames, exact
summaries), ours streaming (chunks read from the files, bounded summaries; once with one pass
and once with four passes over the files, i.e. 4M rows per dataset, to show memory does not
grow), and Evidently 0.7.23 in `.venv-evidently` (it breaks under the project's pandas 3; see
bench/requirements-evidently.txt). Reported per peer: the check's wall and CPU seconds (the data
already in memory for the in-process peers; for streaming, reading is part of the check), peak
RSS as the child's own VmHWM and, as a cross-check, wait4's ru_maxrss (the parent stays small:
the data is generated in a child too); then a per-feature table of methods, distances and
verdicts, and whether ours match Evidently's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.demo_walltime import machine  # noqa: E402
from bench.drift import dataset  # noqa: E402
from bench.validation.process import wait_for_quiet  # noqa: E402

MAIN_PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
EVIDENTLY_PYTHON = REPO_ROOT / ".venv-evidently" / "bin" / "python"


def run_child(python: Path, args: list[str]) -> dict:
    """`python -m <args>` from the repo root; its JSON report plus wall time and wait4's rusage."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen([str(python), "-m", *args], cwd=REPO_ROOT, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{python} -m {' '.join(args)} exited {child.returncode}:\n{err.read()[-3000:]}")
        result = json.loads(out.read().strip().splitlines()[-1])
    return {**result, "process_wall_s": round(wall, 2), "ru_maxrss_mb": round(usage.ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk-rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=REPO_ROOT / ".build" / "drift-bench")
    parser.add_argument("--no-evidently", action="store_true")
    parser.add_argument("--quiet-wait", type=float, default=30.0, help="seconds to wait for other work to calm down")
    args = parser.parse_args()
    if not args.no_evidently and not EVIDENTLY_PYTHON.exists():
        sys.exit(f"{EVIDENTLY_PYTHON} is missing: python3.11 -m venv .venv-evidently && "
                 ".venv-evidently/bin/pip install -r bench/requirements-evidently.txt")
    if not dataset.ready(args.workdir, args.rows):
        print(f"generating {args.rows:,} + {args.rows:,} rows in {args.workdir} ...", flush=True)
        subprocess.run([str(MAIN_PYTHON), "-m", "bench.drift.dataset", str(args.workdir), str(args.rows)],
                       cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, check=True)
    meta = dataset.read_meta(args.workdir)
    workdir, chunk = str(args.workdir), f"--chunk-rows={args.chunk_rows}"
    peers = [("ours, in-process", MAIN_PYTHON, ["bench.drift.ours", workdir, "--mode=in-process"]),
             ("ours, streaming", MAIN_PYTHON, ["bench.drift.ours", workdir, "--mode=streaming", chunk]),
             ("ours, streaming x4 rows", MAIN_PYTHON, ["bench.drift.ours", workdir, "--mode=streaming", chunk,
                                                       "--passes=4"])]
    if not args.no_evidently:
        peers.append(("Evidently DataDriftPreset", EVIDENTLY_PYTHON, ["bench.drift.evidently_peer", workdir]))
    print(f"machine: {machine()}; load average before: {os.getloadavg()}", flush=True)
    results = {}
    for label, python, child_args in peers:
        busy = wait_for_quiet(args.quiet_wait)
        results[label] = {**run_child(python, child_args), "busy_before": busy}
        print(f"{label}: check {results[label]['check_s']} s, peak {results[label]['peak_rss_mb']} MB", flush=True)
    print()
    print(_timing_table(results))
    print()
    print(_verdict_table(results, meta))
    (args.workdir / "results.json").write_text(json.dumps(results, indent=1))


def _timing_table(results: dict) -> str:
    evidently = results.get("Evidently DataDriftPreset")
    lines = ["| peer | check s (wall) | CPU s | load s | x faster than Evidently (wall) | peak RSS MB (VmHWM) | "
             "ru_maxrss MB (wait4) | CPU busy before |", "|---|---|---|---|---|---|---|---|"]
    for label, r in results.items():
        ratio = f"{evidently['check_s'] / r['check_s']:.1f}" if evidently else "-"
        lines.append(f"| {label} | {r['check_s']:.2f} | {r['cpu_s']:.2f} | {r['load_s']:.2f} | {ratio} | "
                     f"{r['peak_rss_mb']:.0f} | {r['ru_maxrss_mb']:.0f} | {r['busy_before']:.0%} |")
    return "\n".join(lines)


def _verdict_table(results: dict, meta: dict) -> str:
    exact, streamed = results["ours, in-process"]["features"], results["ours, streaming"]["features"]
    evidently = results.get("Evidently DataDriftPreset", {}).get("features")
    lines = ["| feature | shifted | method | Evidently | ours in-process | ours streaming (bound) | verdicts match |",
             "|---|---|---|---|---|---|---|"]
    matches = []
    for name in [*meta["numeric"], *meta["categorical"]]:
        ours, stream = exact[name], streamed[name]
        theirs = evidently[name] if evidently else None
        same = (theirs is None or (theirs["drifted"] == ours["drifted"] and theirs["method"] == ours["method"])) \
            and stream["drifted"] == ours["drifted"]
        matches.append(same)
        lines.append(
            f"| {name} | {meta['shifts'].get(name, '')} | {ours['method']} | "
            f"{_cell(theirs) if theirs else '-'} | {_cell(ours)} | {_cell(stream)} (±{stream['error_bound']:.1e}) | "
            f"{'yes' if same else 'NO'} |")
    flagged = sorted(name for name, f in exact.items() if f["drifted"])
    lines.append("")
    lines.append(f"flagged by ours: {', '.join(flagged)}; planted: {', '.join(meta['shifted'])}; "
                 f"all verdicts match: {'yes' if all(matches) else 'NO'}")
    return "\n".join(lines)


def _cell(feature: dict) -> str:
    return f"{feature['distance']:.4f} {'drift' if feature['drifted'] else 'ok'}"


if __name__ == "__main__":
    main()
