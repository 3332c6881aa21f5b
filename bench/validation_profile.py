"""Profile our data-quality core on the validation benchmark's batch: where do its seconds go?

Usage: .venv/bin/python bench/validation_profile.py [--engine c|pyarrow] [--runs 3] [--top 25]
(run it with .build/bench-peers-venv/bin/python for --engine pyarrow and pyarrow strings)

Parses batch.csv once, warms up with one checks run, then profiles `--runs` more runs of
compute_statistics + check_constraints (bench/validation/checks_core.py) with cProfile and
prints the top functions by own time and by cumulative time. cProfile's overhead is small
here: the time is in a few hundred calls into numpy and pandas, not in many Python calls.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import pandas as pd  # noqa: E402

from bench.make_validation_data import DEFAULT_WORKDIR, ensure  # noqa: E402
from bench.validation import checks_core  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--engine", choices=["c", "pyarrow"], default="c")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    ensure(args.workdir, rows=1_000_000, reference_rows=100_000)
    state = checks_core.setup(args.workdir)
    frame = pd.read_csv(args.workdir / "batch.csv", engine=args.engine)
    checks_core.check(frame, state)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.runs):
        checks_core.check(frame, state)
    profile.disable()
    print(f"strings: {frame['plan'].dtype!r}; {args.runs} runs profiled")
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        pstats.Stats(profile, stream=text).strip_dirs().sort_stats(order).print_stats(args.top)
        print(text.getvalue())


if __name__ == "__main__":
    main()
