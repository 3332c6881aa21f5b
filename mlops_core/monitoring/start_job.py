"""Start the Processing job of a large check, named from the model, check and window end so
asking twice for the same window starts one job (ResourceInUse -> the running one)."""

from __future__ import annotations

from typing import Any

from mlops_core.monitoring.baseline import Baseline
from mlops_core.monitoring.processing_job import (
    JobEnvironment,
    capture_prefixes,
    processing_request,
    window_arguments,
)
from mlops_core.monitoring.request import MonitorRequest, iso
from mlops_core.monitoring.s3_io import GROUND_TRUTH_PREFIX
from mlops_core.naming import DATA_QUALITY_CHECK, monitoring_job_name
from mlops_core.s3uri import to_s3_uri

PROCESSING = "processing"


def start_check_job(sagemaker: Any, *, request: MonitorRequest, config: Any, target: Any, baseline: Baseline,
                    buckets: Any, jobs: JobEnvironment, size: int, keys: list[str]) -> dict[str, Any]:
    name = monitoring_job_name(config.model, request.check, iso(request.window.end))
    arguments = [f"--check={request.check}", f"--model={config.model}", f"--endpoint={config.endpoint}",
                 f"--target={config.target}", f"--problem-type={config.problem_type}",
                 f"--model-package={baseline.package_arn}", f"--report={target.report}",
                 *window_arguments(request.window)]
    if request.check == DATA_QUALITY_CHECK:
        extra = {"statistics": baseline.statistics_uri, "constraints": baseline.constraints_uri}
        arguments.append(f"--drift-method={config.drift_method}")
    else:
        extra = {"ground-truth": to_s3_uri(buckets.data, f"{GROUND_TRUTH_PREFIX}/{config.model}/")}
        arguments += [f"--metric={config.quality_metric}", f"--min-labels={config.min_labels}"]
        if config.quality_threshold is not None:
            arguments.append(f"--threshold={config.quality_threshold}")
    job = processing_request(job_name=name, arguments=arguments, extra_inputs=extra, output_uri=target.report,
                             captures=capture_prefixes(buckets.artifacts, config.endpoint, config.variant,
                                                       request.window, keys),
                             env=jobs, resources=dict(config.processing))
    try:
        sagemaker.create_processing_job(**job)
    except sagemaker.exceptions.ClientError as error:
        if error.response["Error"]["Code"] not in ("ResourceInUse", "ValidationException") or "already" not in str(
                error).lower():
            raise
    return {"status": PROCESSING, "check": request.check, "model": config.model, "endpoint": config.endpoint,
            "window": request.window.to_dict(), "processing_job": name, "capture_bytes": size,
            "report": target.report, "model_package": baseline.package_arn}
