"""A monitor run against AWS (or the embedded cloud), with boto3 clients passed in: what the
MonitorEndpoint Lambda does, and what `mlops monitor run` may call directly.

Small windows are checked here; above `processing_above_bytes` the Processing job is started
(status "processing") and its result is published by ``publish_job_result`` once it completed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mlops_core.monitoring import s3_io
from mlops_core.monitoring.baseline import find_baseline
from mlops_core.monitoring.checks import (
    RESULT_FILE,
    CheckReport,
    Target,
    data_quality_check,
    model_quality_check,
)
from mlops_core.monitoring.errors import MonitoringError
from mlops_core.monitoring.ground_truth import read_ground_truth
from mlops_core.monitoring.metric_data import (
    from_serialised,
    put_metric_data,
    serialisable,
)
from mlops_core.monitoring.processing_job import JobEnvironment
from mlops_core.monitoring.request import MonitorRequest
from mlops_core.monitoring.settings import MonitorSettings
from mlops_core.monitoring.start_job import start_check_job
from mlops_core.naming import DATA_QUALITY_CHECK, monitoring_schedule_name
from mlops_core.s3uri import parse_s3_uri


@dataclass(frozen=True)
class Clients:
    s3: Any
    sagemaker: Any
    cloudwatch: Any


@dataclass(frozen=True)
class Buckets:
    artifacts: str
    data: str


def run_monitor(event: dict, settings: dict, *, clients: Clients, buckets: Buckets, jobs: JobEnvironment | None,
                now: datetime | None = None) -> dict[str, Any]:
    config = MonitorSettings.from_settings(settings)
    request = MonitorRequest.from_event(event, default_window_minutes=config.window_minutes, now=now)
    if request.model != config.model:
        raise MonitoringError(f"the settings read are model {config.model!r}'s, not {request.model!r}'s")
    if request.check != DATA_QUALITY_CHECK and not config.quality_enabled:
        raise MonitoringError(f"monitoring.model_quality.enabled is false for model {config.model!r}")
    schedule = monitoring_schedule_name(config.endpoint, request.check)
    target = Target(config.model, config.endpoint, request.window,
                    s3_io.report_prefix(buckets.artifacts, config.endpoint, schedule, request.window.end))
    # The endpoint and its baseline are checked first: a monitor of nothing must say so.
    baseline = find_baseline(clients.sagemaker, endpoint=config.endpoint, variant=config.variant, model=config.model)
    captures = s3_io.capture_objects(clients.s3, buckets.artifacts, config.endpoint, config.variant, request.window)
    size = sum(size for _key, size in captures)
    if size > config.processing_above_bytes:
        if jobs is None:
            raise MonitoringError(f"the capture window holds {size} bytes, above processing_above_bytes "
                                  f"{config.processing_above_bytes}, and no Processing job settings were given")
        return start_check_job(clients.sagemaker, request=request, config=config, target=target, baseline=baseline,
                               buckets=buckets, jobs=jobs, size=size, keys=[key for key, _size in captures])
    lines = s3_io.object_lines(clients.s3, buckets.artifacts, [key for key, _size in captures])
    if request.check == DATA_QUALITY_CHECK:
        report = data_quality_check(
            lines, target, label=config.target,
            baseline=s3_io.read_baseline_file(clients.s3, baseline.statistics_uri, baseline.package_arn),
            constraints=s3_io.read_baseline_file(clients.s3, baseline.constraints_uri, baseline.package_arn),
            drift_method=config.drift_method)
    else:
        keys = s3_io.ground_truth_objects(clients.s3, buckets.data, config.model, request.window)
        truth = read_ground_truth(s3_io.object_lines(clients.s3, buckets.data, keys))
        report = model_quality_check(lines, truth, target, problem_type=config.problem_type,
                                     metric=config.quality_metric, threshold=config.quality_threshold,
                                     min_labels=config.min_labels)
    report.result["model_package"] = baseline.package_arn
    return publish(report, s3=clients.s3, cloudwatch=clients.cloudwatch)


def publish(report: CheckReport, *, s3: Any, cloudwatch: Any) -> dict[str, Any]:
    """Write the reports and result.json under the report folder, then put the datapoints."""
    files = {**report.files, RESULT_FILE: result_document(report)}
    s3_io.write_reports(s3, report.result["report"], files)
    put_metric_data(cloudwatch, report.namespace, report.metric_data)
    return report.result


def result_document(report: CheckReport) -> dict[str, Any]:
    """result.json: the result plus the datapoints, so a job's result can be published later."""
    return {**report.result, "namespace": report.namespace, "metric_data": serialisable(report.metric_data)}


def load_result(document: dict[str, Any]) -> CheckReport:
    result = {k: v for k, v in document.items() if k not in ("namespace", "metric_data")}
    return CheckReport(result, {}, document["namespace"], from_serialised(document["metric_data"]))


def publish_job_result(job_name: str, *, clients: Clients) -> dict[str, Any]:
    """Put the datapoints a completed monitoring Processing job left in its result.json."""
    job = clients.sagemaker.describe_processing_job(ProcessingJobName=job_name)
    status = job["ProcessingJobStatus"]
    if status != "Completed":
        return {"status": "failed" if status in ("Failed", "Stopped") else "processing", "processing_job": job_name,
                "job_status": status, "reason": job.get("FailureReason") or job.get("ExitMessage") or ""}
    outputs = {o["OutputName"]: o["S3Output"]["S3Uri"] for o in job["ProcessingOutputConfig"]["Outputs"]}
    uri = outputs["report"].rstrip("/") + "/" + RESULT_FILE
    bucket, key = parse_s3_uri(uri)
    document = json.loads(clients.s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    report = load_result(document)
    put_metric_data(clients.cloudwatch, report.namespace, report.metric_data)
    return {**report.result, "processing_job": job_name}
