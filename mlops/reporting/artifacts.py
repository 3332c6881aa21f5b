"""The run's documents and registry records the report shows: S3 reports (summary.md,
statistics.json, evaluation.json, gate.json), tuning trials, the model package, monitoring
drift. Each is optional: a run that stopped early simply has fewer of them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.exceptions import ClientError

from mlops_core.s3uri import parse_s3_uri

DRIFT_NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
DRIFT_PREFIX = "feature_baseline_drift_"


def text(s3, uri: str | None) -> str | None:
    if not uri:
        return None
    bucket, key = parse_s3_uri(uri)
    try:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8", "replace")
    except ClientError:
        return None


def document(s3, uri: str | None) -> Any:
    raw = text(s3, uri)
    try:
        return json.loads(raw) if raw is not None else None
    except json.JSONDecodeError:
        return None


def tuning_trials(sagemaker, run_input: dict, run_output: dict) -> dict | None:
    """The tuning job's trials with their objective values, or None when the run did not tune."""
    if not ((run_input.get("settings") or {}).get("tuning") or {}).get("enabled"):
        return None
    name = (run_input.get("jobs") or {}).get("tuning")
    try:
        pages = sagemaker.get_paginator("list_training_jobs_for_hyper_parameter_tuning_job").paginate(
            HyperParameterTuningJobName=name, SortBy="CreationTime", SortOrder="Ascending")
        summaries = [s for page in pages for s in page["TrainingJobSummaries"]]
        best = (sagemaker.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
                .get("BestTrainingJob") or {}).get("TrainingJobName")
    except ClientError:
        return None  # the run stopped before tuning
    trials = [{"name": s["TrainingJobName"], "status": s.get("TrainingJobStatus"),
               "objective": (s.get("FinalHyperParameterTuningJobObjectiveMetric") or {}).get("Value"),
               "metric": (s.get("FinalHyperParameterTuningJobObjectiveMetric") or {}).get("MetricName"),
               "hyperparameters": s.get("TunedHyperParameters") or {}} for s in summaries]
    return {"job": name, "best": best, "trials": trials}


def package_of_run(sagemaker, run_input: dict, execution_arn: str) -> str | None:
    """A run the gate rejected still registered its model (as Rejected): find it by ExecutionArn."""
    group = (run_input.get("settings") or {}).get("model_package_group")
    if not group:
        return None
    try:
        pages = sagemaker.get_paginator("list_model_packages").paginate(ModelPackageGroupName=group)
        for page in pages:
            for summary in page["ModelPackageSummaryList"]:
                package = sagemaker.describe_model_package(ModelPackageName=summary["ModelPackageArn"])
                if (package.get("CustomerMetadataProperties") or {}).get("ExecutionArn") == execution_arn:
                    return package["ModelPackageArn"]
    except ClientError:
        return None
    return None


def package(sagemaker, arn: str | None) -> dict | None:
    if not arn:
        return None
    try:
        described = sagemaker.describe_model_package(ModelPackageName=arn)
    except ClientError:
        return None
    return {"arn": described["ModelPackageArn"], "group": described.get("ModelPackageGroupName"),
            "version": described.get("ModelPackageVersion"), "status": described.get("ModelApprovalStatus"),
            "metadata": described.get("CustomerMetadataProperties") or {},
            "generated_by": (described.get("MetadataProperties") or {}).get("GeneratedBy"),
            "model_data": ((described.get("InferenceSpecification") or {}).get("Containers") or [{}])[0].get("ModelDataUrl")}


def drift(s3, cloudwatch, bucket: str | None, endpoint: str) -> dict | None:
    """The newest data-quality report of the endpoint (docs/contracts.md "Monitoring") and each
    feature's latest drift distance; None when monitoring has written nothing yet."""
    if not bucket or not endpoint:
        return None
    prefix = f"monitoring/{endpoint}/{endpoint}-data-quality/"
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        keys = sorted(o["Key"] for page in pages for o in page.get("Contents", [])
                      if o["Key"].endswith("constraint_violations.json"))
    except ClientError:
        return None
    if not keys:
        return None
    violations = document(s3, f"s3://{bucket}/{keys[-1]}") or {}
    return {"report": f"s3://{bucket}/{keys[-1]}", "violations": violations.get("violations", []),
            "distances": _distances(cloudwatch, endpoint)}


def _distances(cloudwatch, endpoint: str) -> dict[str, float]:
    pages = cloudwatch.get_paginator("list_metrics").paginate(
        Namespace=DRIFT_NAMESPACE, Dimensions=[{"Name": "Endpoint", "Value": endpoint}])
    metrics = [m for page in pages for m in page["Metrics"] if m["MetricName"].startswith(DRIFT_PREFIX)]
    out: dict[str, float] = {}
    now = datetime.now(timezone.utc)  # 14 days: hourly points stay under GetMetricStatistics' 1440
    for metric in metrics:
        stats = cloudwatch.get_metric_statistics(
            Namespace=DRIFT_NAMESPACE, MetricName=metric["MetricName"], Dimensions=metric["Dimensions"],
            StartTime=now - timedelta(days=14), EndTime=now, Period=3600, Statistics=["Maximum"])
        points = sorted(stats["Datapoints"], key=lambda p: p["Timestamp"])
        if points:
            out[metric["MetricName"].removeprefix(DRIFT_PREFIX)] = points[-1]["Maximum"]
    return out
