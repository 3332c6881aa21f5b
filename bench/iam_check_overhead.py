"""Benchmark: what the IAM check costs an end-to-end run in the embedded cloud.

Usage: .venv/bin/python bench/iam_check_overhead.py [--runs N]
Synthesizes config/dev.json once, then runs upload -> registered model N times with the check
off and N times with it on (alternating, a fresh cloud each), and prints per run: the run's
wall time; with the check on, the time spent recording calls on moto's request path (parse +
resolve, measured inside the hook), the number of calls, and the time `findings()` takes to
evaluate them (the first call includes starting Node and loading AWS's IAM catalogue).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.demo_walltime import machine  # noqa: E402
from mlops.localcloud.iam import recording  # noqa: E402
from mlops.localcloud.server import EmbeddedCloud  # noqa: E402
from mlops.localcloud.synth import synthesize  # noqa: E402
from tests.e2e.harness import Stack  # noqa: E402

CONFIG = REPO_ROOT / "config" / "dev.json"
DATA = (REPO_ROOT / "data" / "penguins.csv").read_bytes()
_recording_seconds = [0.0]


def _timed_record(original):
    def record_request(self, response):
        started = time.perf_counter()
        try:
            return original(self, response)
        finally:
            _recording_seconds[0] += time.perf_counter() - started
    return record_request


def one_run(cdk_out: Path, stack_name: str, iam_check: bool) -> dict:
    _recording_seconds[0] = 0.0
    with EmbeddedCloud(region="us-east-1", iam_check=iam_check) as cloud:
        stack = Stack(cloud, cloud.deploy(cdk_out, stack_name).outputs)
        started = time.perf_counter()
        _, summary = stack.run("datasets/penguins/penguins.csv", DATA)
        cloud.bus.wait_idle()
        result = {"run": time.perf_counter() - started, "status": summary.status}
        if iam_check:
            started = time.perf_counter()
            found = cloud.iam.findings()
            result.update(findings=time.perf_counter() - started, calls=found.calls, permissions=found.permissions,
                          recording=_recording_seconds[0], ok=found.ok)
            started = time.perf_counter()
            cloud.iam.findings()
            result["findings_again"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    recording.CallRecorder.record_request = _timed_record(recording.CallRecorder.record_request)
    with tempfile.TemporaryDirectory() as tmp:
        cdk_out = synthesize(CONFIG, Path(tmp) / "cdk.out", context={"poll_seconds": 1})
        stack_name = next(p.name.removesuffix(".template.json") for p in cdk_out.glob("*.template.json"))
        off, on = [], []
        for run in range(args.runs):
            for iam_check, results in ((False, off), (True, on)):
                result = one_run(cdk_out, stack_name, iam_check)
                if result["status"] != "SUCCEEDED":
                    sys.exit(f"run failed: {result}")
                results.append(result)
                extra = ("" if not iam_check else f", recording {result['recording'] * 1000:.0f} ms for "
                         f"{result['calls']} calls, findings {result['findings']:.2f} s "
                         f"({result['permissions']} permissions; again {result['findings_again'] * 1000:.0f} ms), "
                         f"refused none: {result['ok']}")
                print(f"run {run + 1} check {'on ' if iam_check else 'off'}: {result['run']:.1f} s{extra}")
    print(f"median run, check off: {statistics.median(r['run'] for r in off):.1f} s; "
          f"on: {statistics.median(r['run'] for r in on):.1f} s")
    per_call = statistics.median(r["recording"] / r["calls"] * 1000 for r in on)
    print(f"median recording cost: {per_call:.2f} ms per call; median findings(): "
          f"{statistics.median(r['findings'] for r in on):.2f} s")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
