"""The embedded cloud's stand-in for AWS's `sagemaker-model-monitor-analyzer` image.

It speaks Model Monitor's container contract (docs: "Container Contract Inputs/Outputs", "CloudWatch
Metrics for Bring Your Own Containers"): the Environment names the captured data
(`dataset_source`, in `/<endpoint>/<variant>/yyyy/mm/dd/hh`), the window (`start_time`,
`end_time`), the baseline files and `output_path`; it writes `statistics.json` and
`constraint_violations.json` there, `feature_baseline_drift_<feature>` datapoints (dimensions
Endpoint and MonitoringSchedule, timestamp `metric_time`) to /opt/ml/output/metrics/cloudwatch
when `publish_cloudwatch_metrics` is Enabled and the constraints' `emit_metrics` is not
Disabled, and its ExitMessage to /opt/ml/output/message.

The analysis is the project's one data-quality core, as the serverless monitor runs it
(`mlops_core.monitoring.checks.data_quality_check`): endpointInput records (CSV or JSON per
their content type, CSV columns matched to the baseline's features by position), statistics,
constraint checks and Model Monitor's distances. Records that cannot be read are counted and
logged, never fatal; a window without any readable record fails the job, naming why.
Imports only the standard library and mlops_core: it runs as the container's process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath

from mlops_core.data_capture import parse_time
from mlops_core.data_quality import DataQualityError
from mlops_core.monitoring.checks import VIOLATIONS_FILE, Target, data_quality_check
from mlops_core.monitoring.errors import MonitoringError
from mlops_core.monitoring.metric_data import dimensions, drift_metric_name
from mlops_core.monitoring.request import Window, iso

OPT_ML = PurePosixPath("/opt/ml")
REQUIRED = ("dataset_source", "output_path", "sagemaker_endpoint_name", "sagemaker_monitoring_schedule_name",
            "start_time", "end_time")


class AnalysisError(Exception):
    """The job cannot be analysed; the message is its ExitMessage."""


class CaptureWindow(Window):
    """Model Monitor's window holds start <= inferenceTime < end."""

    def holds(self, when: datetime) -> bool:
        return self.start <= when < self.end


def main(argv: list[str] | None = None, environ: dict | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opt-ml", default=str(OPT_ML), help="where the container's /opt/ml is")
    root = Path(parser.parse_args(argv).opt_ml)
    env = dict(os.environ if environ is None else environ)
    try:
        message = analyse(env, root)
    except (AnalysisError, MonitoringError, DataQualityError) as exc:
        _write(root / "output" / "message", str(exc))
        print(f"Analysis failed: {exc}", file=sys.stderr)
        return 1
    _write(root / "output" / "message", message)
    print(message)
    return 0


def analyse(env: dict, root: Path) -> str:
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        raise AnalysisError(f"The analyzer's environment lacks {', '.join(missing)} (Model Monitor's container "
                            f"contract).")
    _check_format(env.get("dataset_format"))
    baseline, constraints = _baseline(env, root, "baseline_statistics"), _baseline(env, root, "baseline_constraints")
    endpoint, schedule = env["sagemaker_endpoint_name"], env["sagemaker_monitoring_schedule_name"]
    window = CaptureWindow(_time(env, "start_time"), _time(env, "end_time"))
    output = _local(env["output_path"], root)
    source = _local(env["dataset_source"], root)
    report = data_quality_check(_capture_lines(source), Target(endpoint, endpoint, window, str(output)),
                                baseline=baseline, constraints=constraints, label=None)
    result = report.result
    print(f"Read {result['requests']} captured request(s) of {iso(window.start)} to {iso(window.end)}: "
          f"{result['records']} record(s), {result['unparseable']} unparseable.")
    for example in result["unparseable_examples"]:
        print(f"  unparseable: {example}")
    if not result["records"]:
        raise AnalysisError(_no_records(result, window))
    output.mkdir(parents=True, exist_ok=True)
    for name, document in report.files.items():
        _write(output / name, json.dumps(document, indent=2))
    if env.get("publish_cloudwatch_metrics") == "Enabled" and _emits_metrics(constraints):
        when = _time(env, "metric_time") if env.get("metric_time") else window.start
        _write_metrics(root, result["distances"], endpoint=endpoint, schedule=schedule, when=when)
    found = len(report.files[VIOLATIONS_FILE]["violations"])
    if found:
        return f"CompletedWithViolations: Job completed successfully with {found} violations."
    return "Completed: Job completed successfully with no violations."


def _check_format(text: str | None) -> None:
    try:
        names = json.loads(text)["sagemakerCaptureJson"]["captureIndexNames"] if text else ["endpointInput"]
    except (ValueError, KeyError, TypeError):
        names = []
    if "endpointInput" not in names:
        raise AnalysisError(f"dataset_format {text!r} is not supported: the embedded cloud's analyzer reads "
                            f"endpoint capture ({{\"sagemakerCaptureJson\": {{\"captureIndexNames\": "
                            f"[\"endpointInput\", ...]}}}}) only.")


def _baseline(env: dict, root: Path, variable: str) -> dict:
    if not env.get(variable):
        raise AnalysisError(f"{variable} is not set: a data quality job needs the baseline statistics and "
                            f"constraints (DataQualityBaselineConfig StatisticsResource and ConstraintsResource).")
    path = _local(env[variable], root)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnalysisError(f"{variable}: no file at {env[variable]}.") from None
    except ValueError as exc:
        raise AnalysisError(f"{variable}: {env[variable]} is not JSON: {exc}") from None


def _capture_lines(source: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else []:
        with open(path, encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                yield f"{path.relative_to(source)}:{number}", line


def _no_records(result: dict, window: Window) -> str:
    span = f"{iso(window.start)} to {iso(window.end)}"
    if not result["requests"]:
        return f"No data was captured in the analysis window {span}: the capture files hold no request inside it."
    examples = "; ".join(result["unparseable_examples"][:2])
    return (f"None of the {result['requests']} captured requests of {span} could be read as the baseline's "
            f"features ({result['unparseable']} unparseable records, e.g. {examples}).")


def _emits_metrics(constraints: dict) -> bool:
    return (constraints.get("monitoring_config") or {}).get("emit_metrics", "Enabled") != "Disabled"


def _write_metrics(root: Path, distances: dict[str, float], *, endpoint: str, schedule: str, when: datetime) -> None:
    lines = [json.dumps({"MetricName": drift_metric_name(feature), "Timestamp": iso(when),
                         "Dimensions": dimensions(endpoint, schedule), "Value": float(distance), "Unit": "None"})
             for feature, distance in distances.items()]
    _write(root / "output" / "metrics" / "cloudwatch" / "feature_baseline_drift.jsonl", "\n".join(lines) + "\n")


def _time(env: dict, variable: str) -> datetime:
    try:
        return parse_time(env[variable])
    except ValueError:
        raise AnalysisError(f"{variable} {env[variable]!r} is not an ISO 8601 time.") from None


def _local(path: str, root: Path) -> Path:
    """A container path: under the job's root when it lies in /opt/ml."""
    pure = PurePosixPath(path)
    return root.joinpath(*pure.relative_to(OPT_ML).parts) if pure.is_relative_to(OPT_ML) else Path(path)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
