"""The embedded cloud sends `SageMaker Processing Job State Change` as SageMaker does: when a
processing job starts and when it ends, with the job as DescribeProcessingJob shows it."""

from __future__ import annotations

import time

import pytest

ROLE = "arn:aws:iam::123456789012:role/processing"
BUCKET = "job-events"


@pytest.fixture(scope="module")
def cloud(embedded_cloud):
    embedded_cloud.client("s3").create_bucket(Bucket=BUCKET)
    return embedded_cloud


@pytest.fixture
def queue(cloud, event_queue, request):
    """An SQS queue behind a rule for the test's jobs, as the stack's MonitorJobs rule matches them."""
    return event_queue(cloud, {
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Processing Job State Change"],
        "detail": {"ProcessingJobName": [{"prefix": _job_prefix(request)}]}})


def _job_prefix(request) -> str:
    return request.node.name[:20].replace("_", "-")


def _job(cloud, name: str, code: str) -> str:
    return cloud.client("sagemaker").create_processing_job(
        ProcessingJobName=name, RoleArn=ROLE,
        AppSpecification={"ImageUri": "image", "ContainerEntrypoint": ["python3", "-c", code]},
        ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large",
                                               "VolumeSizeInGB": 1}},
        ProcessingOutputConfig={"Outputs": [{"OutputName": "out", "S3Output": {
            "S3Uri": f"s3://{BUCKET}/{name}/", "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"}}]},
        StoppingCondition={"MaxRuntimeInSeconds": 60},
    )["ProcessingJobArn"]


def test_start_and_end_send_the_documented_shape(cloud, queue, request):
    name = _job_prefix(request) + "-ok"
    arn = _job(cloud, name, "print('done')")
    events = queue.received(2, timeout=60)
    assert [e["detail"]["ProcessingJobStatus"] for e in events] == ["InProgress", "Completed"]
    event = events[-1]
    assert (event["source"], event["detail-type"], event["resources"]) == (
        "aws.sagemaker", "SageMaker Processing Job State Change", [arn])
    assert (event["account"], event["region"]) == ("123456789012", "us-east-1")
    detail = event["detail"]
    assert detail["ProcessingJobArn"] == arn and detail["RoleArn"] == ROLE
    assert detail["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"] == f"s3://{BUCKET}/{name}/"
    # Timestamps in epoch milliseconds, as SageMaker's events carry them; no Tags in the detail.
    assert isinstance(detail["ProcessingEndTime"], int) and detail["ProcessingEndTime"] >= detail["CreationTime"]
    assert abs(detail["ProcessingEndTime"] / 1000 - time.time()) < 120
    assert "Tags" not in detail


def test_a_failed_job_sends_its_failure_reason(cloud, queue, request):
    name = _job_prefix(request) + "-fail"
    _job(cloud, name, "import sys; print('broken input', file=sys.stderr); sys.exit(3)")
    events = queue.received(2, timeout=60)
    final = events[-1]["detail"]
    assert final["ProcessingJobStatus"] == "Failed"
    assert final["FailureReason"] == cloud.client("sagemaker").describe_processing_job(
        ProcessingJobName=name)["FailureReason"]
