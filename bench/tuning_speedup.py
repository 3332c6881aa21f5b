"""Benchmark: wall time of a tuning job's N trials in the embedded cloud, run MaxParallelTrainingJobs
at a time, against the same N trials run one after another (MaxParallelTrainingJobs = 1).

Both runs use the Random strategy with the same RandomSeed, so they train exactly the same
hyperparameter sets (checked). Times are the tuning job's own CreationTime ->
HyperParameterTuningEndTime. Each trial is a real training job: the project's train.py on
data/penguins.csv as a subprocess, per SageMaker's script-mode contract.

Usage: .venv/bin/python bench/tuning_speedup.py [--trials 8] [--parallel 2] [--estimator random_forest]
                                                [--repeats 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.demo_walltime import machine  # noqa: E402
from mlops.localcloud.server import EmbeddedCloud  # noqa: E402
from tests.localcloud.tuning_support import tuning_request, upload_inputs, wait_for_tuning  # noqa: E402

PROBLEMS = {"classification": "species", "regression": "body_mass_g"}


def run_tuning(cloud, inputs, name: str, *, trials: int, parallel: int, estimator: str, problem: str) -> dict:
    sagemaker = cloud.client("sagemaker")
    request = tuning_request(name, inputs, estimator=estimator, target=PROBLEMS[problem], problem_type=problem,
                             tuning={"strategy": "Random", "max_jobs": trials, "max_parallel_jobs": parallel})
    children, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    sagemaker.create_hyper_parameter_tuning_job(**request)
    job = wait_for_tuning(sagemaker, name, timeout=60 * trials)
    # Trial scripts are child processes of this one: their CPU time is the run's work.
    cpu, cloud_cpu = _cpu(children, resource.RUSAGE_CHILDREN), _cpu(own, resource.RUSAGE_SELF)
    if job["HyperParameterTuningJobStatus"] != "Completed":
        sys.exit(f"{name}: {job['HyperParameterTuningJobStatus']}: {job.get('FailureReason')}")
    summaries = sagemaker.list_training_jobs_for_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=name, MaxResults=100)["TrainingJobSummaries"]
    return {
        "seconds": (job["HyperParameterTuningEndTime"] - job["CreationTime"]).total_seconds(),
        "cpu_seconds": cpu,
        "cloud_cpu_seconds": cloud_cpu,  # this process: moto, S3 transfers, archives, the tuner
        "trial_seconds": [(s["TrainingEndTime"] - s["TrainingStartTime"]).total_seconds() for s in summaries],
        "values": sorted(tuple(sorted(s["TunedHyperParameters"].items())) for s in summaries),
    }


def _cpu(before, who) -> float:
    after = resource.getrusage(who)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--estimator", default="random_forest", choices=["random_forest", "gradient_boosting", "linear"])
    parser.add_argument("--problem", default="classification", choices=sorted(PROBLEMS))
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    # Other work on the machine skews both runs; the load average says how much there was.
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    speedups = []
    with EmbeddedCloud(region="us-east-1") as cloud:
        inputs = upload_inputs(cloud.client("s3"))
        for repeat in range(1, args.repeats + 1):
            kwargs = {"trials": args.trials, "estimator": args.estimator, "problem": args.problem}
            sequential = run_tuning(cloud, inputs, f"bench-seq-{repeat}", parallel=1, **kwargs)
            parallel = run_tuning(cloud, inputs, f"bench-par-{repeat}", parallel=args.parallel, **kwargs)
            if sequential["values"] != parallel["values"]:
                sys.exit("the two runs trained different hyperparameter sets; the comparison would be unfair")
            speedup = sequential["seconds"] / parallel["seconds"]
            speedups.append(speedup)
            print(f"repeat {repeat}: {args.trials} trials one after another {sequential['seconds']:.1f} s "
                  f"(median trial {statistics.median(sequential['trial_seconds']):.1f} s, "
                  f"trial CPU {sequential['cpu_seconds']:.1f} s, embedded cloud CPU "
                  f"{sequential['cloud_cpu_seconds']:.1f} s), {args.parallel} at a time "
                  f"{parallel['seconds']:.1f} s (median trial {statistics.median(parallel['trial_seconds']):.1f} s, "
                  f"trial CPU {parallel['cpu_seconds']:.1f} s, embedded cloud CPU {parallel['cloud_cpu_seconds']:.1f} s): "
                  f"speed-up {speedup:.2f}x, "
                  f"efficiency {speedup / min(args.parallel, os.cpu_count() or 1):.0%}")
    print(f"median speed-up {statistics.median(speedups):.2f}x over {len(speedups)} repeat(s); "
          f"{args.estimator} {args.problem}, penguins ({args.trials} trials, Random, same seed)")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
