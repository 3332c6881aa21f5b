"""Benchmark: validation throughput and memory of our data-quality core against pandera, Great
Expectations and plain vectorised pandas, on the same 1M x 20 CSV in the same run.

Usage: .venv/bin/python bench/validation_throughput.py [--rounds 3] [--repeat 3] [--no-peers]

Every implementation runs in its own process (see bench/validation/runner.py) on the same
batch.csv and checks the same contract; each must report exactly the batch's five planted
problems. Two settings:
- "project": what the project's venv has: pandas' default C parser, strings as Python objects
  (no pyarrow). Our core and plain pandas run in .venv; pandera and GE in the peers' venv with
  pandas told to store strings as Python objects, so all four see identical frames.
- "pyarrow": everything in the peers' venv with engine="pyarrow" and pyarrow-backed strings.
Rounds interleave the configurations so a change in machine load hits all of them alike.
The peers' venv is created by bench/peers/make_venv.sh if missing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.demo_walltime import machine  # noqa: E402
from bench.make_validation_data import DEFAULT_WORKDIR, ensure  # noqa: E402
from bench.validation import tables  # noqa: E402
from bench.validation.process import MAIN_PYTHON, PEERS_PYTHON, run_child, wait_for_quiet  # noqa: E402

PROJECT = [("core", "project", "c", "python"), ("pandas", "project", "c", "python"),
           ("pandera", "peers", "c", "python"), ("gx", "peers", "c", "python")]
PYARROW = [("core", "peers", "pyarrow", "default"), ("pandas", "peers", "pyarrow", "default"),
           ("pandera", "peers", "pyarrow", "default"), ("gx", "peers", "pyarrow", "default")]
# Parsing variants not covered above: C parser with pyarrow strings, pyarrow converted to objects.
PARSE_ONLY = [("parse", "peers", "c", "default"), ("parse", "peers", "pyarrow", "python")]


def configs(with_peers: bool) -> list[dict]:
    chosen = [(c, "project") for c in PROJECT]
    if with_peers:
        chosen += [(c, "pyarrow") for c in PYARROW] + [(c, "parse") for c in PARSE_ONLY]
    return [{"impl": impl, "venv": venv, "engine": engine, "strings": strings, "setting": setting}
            for (impl, venv, engine, strings), setting in chosen
            if with_peers or venv == "project"]


def measure(config: dict, workdir: Path, repeat: int, quiet_wait_s: float):
    busy = wait_for_quiet(quiet_wait_s)
    python = MAIN_PYTHON if config["venv"] == "project" else PEERS_PYTHON
    result = run_child(python, ["bench.validation.runner", "--impl", config["impl"], "--workdir", str(workdir),
                                "--engine", config["engine"], "--strings", config["strings"], "--repeat", str(repeat)])
    result.busy_before = busy
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--rounds", type=int, default=3, help="processes per configuration (median taken)")
    parser.add_argument("--repeat", type=int, default=3, help="checks runs inside each process (median taken)")
    parser.add_argument("--no-peers", action="store_true", help="only our core and plain pandas, in .venv")
    parser.add_argument("--quiet-wait", type=float, default=60.0,
                        help="seconds to wait, before each run, for other work to drop under 25%% of the CPUs")
    args = parser.parse_args()
    manifest = ensure(args.workdir, rows=1_000_000, reference_rows=100_000)
    if not args.no_peers:
        subprocess.run(["bash", str(REPO_ROOT / "bench" / "peers" / "make_venv.sh")], check=True)
    chosen = configs(not args.no_peers)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    runs: dict[int, list] = {i: [] for i in range(len(chosen))}
    for round_number in range(args.rounds):
        for i, config in enumerate(chosen):
            result = measure(config, args.workdir, args.repeat, args.quiet_wait)
            runs[i].append(result)
            print(f"round {round_number + 1} {config['setting']:8} {config['impl']:8} "
                  f"{json.dumps({k: result.output.get(k) for k in ('parse_s', 'checks_median_s', 'findings_match')})} "
                  f"peak {result.peak_rss_mb:.0f} MB, machine busy before {result.busy_before:.0%}", flush=True)
    rows = [tables.summarise(config, runs[i]) for i, config in enumerate(chosen)]
    _print_summary(rows, manifest, load_before, args)


def _print_summary(rows: list[dict], manifest: dict, load_before: list[str], args) -> None:
    size_mb = manifest["files"]["batch.csv"]["bytes"] / 1e6
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    print(f"\nmachine: {machine()}; load average before {' '.join(load_before)}, after {' '.join(load_after)}")
    print(f"data: {manifest['files']['batch.csv']['rows']:,} rows x 20 columns, {size_mb:.0f} MB "
          f"(sha256 {manifest['files']['batch.csv']['sha256'][:16]}...); {args.rounds} rounds x {args.repeat} checks runs")
    for setting in ("project", "pyarrow"):
        chosen = [r for r in rows if r["setting"] == setting]
        if chosen:
            print(f"\n### {setting}\n\n{tables.checks_table(chosen)}")
    print(f"\n### parsing\n\n{tables.parse_table(rows, size_mb)}\n")
    print("\n".join(tables.verdicts(rows)))
    out = args.workdir / f"results-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps({"machine": machine(), "load": [load_before, load_after], "rows": rows}, indent=1))
    print(f"\nraw figures: {out}")


if __name__ == "__main__":
    main()
