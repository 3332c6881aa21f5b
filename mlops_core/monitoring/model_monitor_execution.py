"""A finished SageMaker Model Monitor execution (monitoring.engine "model-monitor") -> the one
drift metric Model Monitor does not publish itself: `drifted_feature_share`, so the
`<endpoint>-drift` alarm works whichever engine checks the endpoint.

An execution is a Processing job whose `SageMaker Processing Job State Change` detail (the job
as DescribeProcessingJob shows it) carries `MonitoringScheduleArn`, the analyzer's Environment
(`metric_time`, ...) and one output holding `statistics.json` and `constraint_violations.json`.
share = features named by `baseline_drift_check` violations / features in statistics.json, put
with the serverless check's metric helpers (same namespace, name and dimensions) at the
execution's metric time. A failed execution publishes nothing; its FailureReason is the result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mlops_core.monitoring.drift import DRIFT_CHECK
from mlops_core.monitoring.errors import InvalidRequest, MonitoringError
from mlops_core.monitoring.metric_data import DATA_METRICS_NAMESPACE, drift_metric_data, put_metric_data
from mlops_core.naming import DATA_QUALITY_CHECK, data_quality_schedule_name
from mlops_core.s3uri import parse_s3_uri

SOURCE, DETAIL_TYPE = "aws.sagemaker", "SageMaker Processing Job State Change"
STATISTICS_FILE, VIOLATIONS_FILE = "statistics.json", "constraint_violations.json"
ENDED = ("Completed", "Failed", "Stopped")


def is_execution_event(event: Any) -> bool:
    """A Processing job state change of a monitoring schedule's execution."""
    return (isinstance(event, Mapping) and event.get("source") == SOURCE and event.get("detail-type") == DETAIL_TYPE
            and isinstance(event.get("detail"), Mapping) and "MonitoringScheduleArn" in event["detail"])


@dataclass(frozen=True)
class Execution:
    job_name: str
    status: str  # ProcessingJobStatus
    schedule_arn: str
    environment: Mapping[str, str]
    output_uri: str | None
    reason: str  # FailureReason, else ExitMessage ("CompletedWithViolations: ...")

    @classmethod
    def from_detail(cls, detail: Mapping[str, Any]) -> Execution:
        try:
            outputs = (detail.get("ProcessingOutputConfig") or {}).get("Outputs") or []
            return cls(job_name=str(detail["ProcessingJobName"]), status=str(detail["ProcessingJobStatus"]),
                       schedule_arn=str(detail["MonitoringScheduleArn"]), environment=detail.get("Environment") or {},
                       output_uri=outputs[0]["S3Output"]["S3Uri"] if outputs else None,
                       reason=str(detail.get("FailureReason") or detail.get("ExitMessage") or ""))
        except (KeyError, TypeError, IndexError) as error:
            raise InvalidRequest(f"the Processing job event detail lacks {error} (DescribeProcessingJob's shape)") \
                from None

    @property
    def schedule(self) -> str:
        return self.schedule_arn.rsplit("/", 1)[-1]

    def metric_time(self) -> datetime:
        """When the execution's datapoints belong: the analyzer's `metric_time` (else `end_time`)."""
        for key in ("metric_time", "end_time"):
            value = self.environment.get(key)
            if value:
                try:
                    return datetime.fromisoformat(str(value).replace(" ", ""))
                except ValueError:
                    raise InvalidRequest(f"Environment.{key} of job {self.job_name} is not ISO 8601: {value!r}") \
                        from None
        raise InvalidRequest(f"job {self.job_name} has no Environment metric_time or end_time: not a Model Monitor "
                             "execution's shape")


def foreign_reason(execution: Execution, *, account: str, region: str, schedules: Mapping[str, Any]) -> str | None:
    """Why an execution is not ours to publish (None: it is): another account or region, or a
    schedule no model of this stack monitors with Model Monitor (`schedules`: lower-case name ->
    the model's settings)."""
    parts = execution.schedule_arn.split(":")
    if len(parts) < 6 or parts[3] != region or parts[4] != account:
        return f"monitoring schedule {execution.schedule_arn} is not of this account and region ({account}, {region})"
    if execution.schedule.lower() not in schedules:
        return (f"monitoring schedule {execution.schedule} is not the Model Monitor schedule of any model of this "
                "stack")
    return None


def publish_execution(execution: Execution, settings: Mapping[str, Any], *, s3: Any, cloudwatch: Any) -> dict:
    """Put the execution's drifted_feature_share (a finished, completed execution only)."""
    endpoint = settings["serving"]["endpoint_name"]
    schedule = data_quality_schedule_name(endpoint)
    result = {"check": DATA_QUALITY_CHECK, "engine": "model-monitor", "model": settings.get("model"),
              "endpoint": endpoint, "monitoring_schedule": schedule, "processing_job": execution.job_name}
    if execution.status in ("Failed", "Stopped"):
        return {**result, "status": "failed", "reason": execution.reason or f"the execution ended {execution.status}"}
    if execution.status not in ENDED:
        return {**result, "status": "ignored", "reason": f"the execution is {execution.status}, not finished"}
    if not execution.output_uri:
        raise MonitoringError(f"Model Monitor execution {execution.job_name} completed without an output to read")
    report = execution.output_uri.rstrip("/") + "/"
    statistics = _read_json(s3, report + STATISTICS_FILE)
    violations = _read_json(s3, report + VIOLATIONS_FILE, missing={"violations": []})
    features = [str(f.get("name")) for f in statistics.get("features") or [] if isinstance(f, Mapping)]
    flagged = {v.get("feature_name") for v in violations.get("violations") or []
               if isinstance(v, Mapping) and v.get("constraint_check_type") == DRIFT_CHECK}
    drifted = [name for name in features if name in flagged]
    records = (statistics.get("dataset") or {}).get("item_count")
    # "CompletedWithViolations: Job completed successfully with 3 violations." -> its first word.
    outcome = execution.reason.split(":")[0] or execution.status
    result.update(records=records, drifted=drifted, report=report, execution_status=outcome)
    if not features:
        return {**result, "status": "no-data", "reason": f"{report}{STATISTICS_FILE} lists no features"}
    share = len(drifted) / len(features)
    timestamp = execution.metric_time()
    put_metric_data(cloudwatch, DATA_METRICS_NAMESPACE,
                    drift_metric_data({}, share, endpoint=endpoint, schedule=schedule, timestamp=timestamp))
    return {**result, "status": "drift" if drifted else "ok", "drifted_share": share,
            "metric_time": timestamp.isoformat()}


def _read_json(s3: Any, uri: str, missing: dict | None = None) -> dict:
    bucket, key = parse_s3_uri(uri)
    try:
        document = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except s3.exceptions.NoSuchKey:
        if missing is not None:
            return missing
        raise MonitoringError(f"the Model Monitor execution's report {uri} does not exist") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MonitoringError(f"the Model Monitor execution's report {uri} is not JSON: {error}") from None
    if not isinstance(document, dict):
        raise MonitoringError(f"the Model Monitor execution's report {uri} is not a JSON object")
    return document
