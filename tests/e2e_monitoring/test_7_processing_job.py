"""A window above processing_above_bytes is checked by a SageMaker Processing job; the job
cannot call CloudWatch (network isolation), so its `SageMaker Processing Job State Change`
event brings MonitorEndpoint (rule MonitorJobs) to put the datapoints the job left."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

from tests.e2e_monitoring.conftest import (
    DATA_METRICS,
    DATA_QUALITY,
    ENDPOINT,
    SETTINGS,
    VARIANT,
)

JOB_EVENT = "SageMaker Processing Job State Change"


def _fill_window(stack, monitoring) -> None:
    """Copy the captured requests into one more capture file, until the window is large."""
    bucket = stack.outputs["ArtifactsBucketName"]
    lines = [line for key in monitoring.capture_keys()
             for line in stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()
             if '"inferenceId"' in line]
    body, limit = b"", SETTINGS["models"][0]["monitoring"]["processing_above_bytes"]
    while len(body) <= limit:
        body += ("\n".join(lines) + "\n").encode()
    now = datetime.now(UTC)
    key = f"data-capture/{ENDPOINT}/{VARIANT}/{now:%Y/%m/%d/%H}/{now:%M-%S}-000-{uuid.uuid4()}.jsonl"
    stack.s3.put_object(Bucket=bucket, Key=key, Body=body)


def _published(stack, job: str, timeout: float = 300) -> dict:
    """What MonitorEndpoint answered to the job's Completed event."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for delivery in list(stack.cloud.bus.deliveries):
            detail = delivery.event.get("detail") or {}
            if (delivery.event.get("detail-type") == JOB_EVENT and detail.get("ProcessingJobName") == job
                    and detail.get("ProcessingJobStatus") == "Completed" and delivery.done.is_set()):
                assert delivery.outcome == "delivered", delivery.detail
                return json.loads(delivery.detail)
        time.sleep(1)
    described = stack.sagemaker.describe_processing_job(ProcessingJobName=job)
    seen = [(d.rule_name, d.event["detail"].get("ProcessingJobStatus"), d.outcome) for d in stack.cloud.bus.deliveries
            if (d.event.get("detail") or {}).get("ProcessingJobName") == job]
    raise AssertionError(f"no delivery of {job}'s Completed event within {timeout} s: the job is "
                         f"{described['ProcessingJobStatus']} ({described.get('FailureReason')}); deliveries {seen}")


def test_a_large_window_runs_as_a_job_whose_end_event_publishes_its_metrics(stack, monitoring, drifted):
    _fill_window(stack, monitoring)
    before = _sample_count(monitoring)
    started = monitoring.run_schedule(DATA_QUALITY)
    assert started["status"] == "processing", started
    job = started["processing_job"]
    assert job.endswith("-dq")
    published = _published(stack, job)
    assert stack.sagemaker.describe_processing_job(ProcessingJobName=job)["ProcessingJobStatus"] == "Completed"
    assert published["processing_job"] == job and published["status"] == "drift"
    assert sorted(published["drifted"]) == sorted(drifted["drifted"])
    assert _sample_count(monitoring) == before + 1  # the job's drifted_feature_share, put by the Lambda


def _sample_count(monitoring) -> float:
    now = time.time()
    points = monitoring.cloudwatch.get_metric_statistics(
        Namespace=DATA_METRICS, MetricName="drifted_feature_share", StartTime=now - 3600, EndTime=now + 60,
        Period=3600, Statistics=["SampleCount"],
        Dimensions=[{"Name": "Endpoint", "Value": ENDPOINT}, {"Name": "MonitoringSchedule", "Value": DATA_QUALITY}])
    return sum(p["SampleCount"] for p in points["Datapoints"])
