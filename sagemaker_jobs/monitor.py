"""SageMaker Processing script: the monitor's check of a capture window too large for the
MonitorEndpoint Lambda, with the same code (mlops_core.monitoring).

Inputs (docs/contracts.md "Monitoring"): the capture folders under `/opt/ml/processing/capture/<n>/`
(requests outside the window are skipped), and `statistics/` + `constraints/` (data quality) or
`ground-truth/` (model quality). Output `/opt/ml/processing/output/`: the reports and
`result.json` (the result plus the CloudWatch datapoints). The job is network-isolated like every
job of the stack, so it does not call CloudWatch: MonitorEndpoint puts the datapoints of
result.json when the job has completed (validate.py and ValidateData share work the same way).

An unusable setup exits 1 with the reason in `/opt/ml/output/message`; bad capture records are
not failures (they are counted in the result).
"""
from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import argparse
import json
import logging
from collections.abc import Iterator

from job_errors import JobArgumentParser, JobError, processing_main

from mlops_core.data_capture import parse_time
from mlops_core.monitoring.checks import (
    RESULT_FILE,
    CheckReport,
    Target,
    data_quality_check,
    model_quality_check,
)
from mlops_core.monitoring.drift import DRIFT_METHODS, MODEL_MONITOR
from mlops_core.monitoring.ground_truth import read_ground_truth
from mlops_core.monitoring.request import Window
from mlops_core.monitoring.run import result_document
from mlops_core.naming import MONITORING_CHECKS
from mlops_core.settings import PROBLEM_TYPES

LOG = logging.getLogger("monitor")
ROOT = "/opt/ml/processing"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = JobArgumentParser(description=__doc__, allow_abbrev=False)
    parser.add_argument("--check", choices=MONITORING_CHECKS, required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--problem-type", choices=PROBLEM_TYPES, required=True)
    parser.add_argument("--model-package", default="")
    parser.add_argument("--report", required=True, help="the S3 folder the output is uploaded to (for the result)")
    parser.add_argument("--window-start", type=parse_time, required=True)
    parser.add_argument("--window-end", type=parse_time, required=True)
    parser.add_argument("--metric", default=None)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--min-labels", type=int, default=10)
    parser.add_argument("--drift-method", choices=DRIFT_METHODS, default=MODEL_MONITOR)
    parser.add_argument("--capture-dir", default=f"{ROOT}/capture")
    parser.add_argument("--statistics-dir", default=f"{ROOT}/statistics")
    parser.add_argument("--constraints-dir", default=f"{ROOT}/constraints")
    parser.add_argument("--ground-truth-dir", default=f"{ROOT}/ground-truth")
    parser.add_argument("--output-dir", default=f"{ROOT}/output")
    parser.add_argument("--message-file", default="/opt/ml/output/message")
    return parser.parse_args(argv)


def file_lines(directory: str | Path, suffixes: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(file name, line) of every file with one of ``suffixes`` under ``directory``, streamed."""
    root = Path(directory)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name.lower().endswith(suffixes)):
        with open(path, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                yield path.relative_to(root).as_posix(), line


def baseline_file(directory: str | Path, what: str) -> dict:
    """The baseline object: the input is an S3Prefix equal to its key, so the shortest file is it."""
    files = sorted((p for p in Path(directory).rglob("*") if p.is_file()), key=lambda p: len(p.as_posix()))
    if not files:
        raise JobError(f"No {what} in {directory}: the '{what}' ProcessingInput brought nothing.")
    try:
        return json.loads(files[0].read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise JobError(f"MissingBaseline: the {what} file {files[0].name} is not valid JSON: {error}") from None


def run(args: argparse.Namespace) -> CheckReport:
    target = Target(args.model, args.endpoint, Window(args.window_start, args.window_end), args.report)
    captures = file_lines(args.capture_dir, (".jsonl",))
    if args.check == "data-quality":
        report = data_quality_check(captures, target, label=args.target,
                                    baseline=baseline_file(args.statistics_dir, "statistics"),
                                    constraints=baseline_file(args.constraints_dir, "constraints"),
                                    drift_method=args.drift_method)
    else:
        truth = read_ground_truth(file_lines(args.ground_truth_dir, (".jsonl", ".csv")))
        report = model_quality_check(captures, truth, target, problem_type=args.problem_type,
                                     metric=args.metric or ("accuracy" if args.problem_type == "classification"
                                                            else "rmse"),
                                     threshold=args.threshold, min_labels=args.min_labels)
    report.result["model_package"] = args.model_package
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    for name, document in {**report.files, RESULT_FILE: result_document(report)}.items():
        (output / name).write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    LOG.info("Check %s of %s: %s, %d records, %d unparseable", args.check, args.endpoint, report.result["status"],
             report.result["records"], report.result["unparseable"])
    return report


def main(argv: list[str] | None = None) -> int:
    return processing_main("Monitoring", argv, parse_args=parse_args, run=run, log=LOG)


if __name__ == "__main__":
    sys.exit(main())
