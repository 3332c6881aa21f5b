"""The embedded cloud sends `SageMaker Processing Job State Change` as SageMaker does: when a
processing job starts and when it ends, with the job as DescribeProcessingJob shows it."""

from __future__ import annotations

import json
import time

import pytest

from mlops.localcloud.server import EmbeddedCloud

ROLE = "arn:aws:iam::123456789012:role/processing"
BUCKET = "job-events"


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as running:
        running.client("s3").create_bucket(Bucket=BUCKET)
        yield running


@pytest.fixture
def queue(cloud, request):
    """An SQS queue behind a rule for the finished jobs, as the stack's MonitorJobs rule matches them."""
    sqs, events = cloud.client("sqs"), cloud.client("events")
    name = request.node.name[:70]
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name=name, EventPattern=json.dumps({
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Processing Job State Change"],
        "detail": {"ProcessingJobName": [{"prefix": _job_prefix(request)}]}}))
    events.put_targets(Rule=name, Targets=[{"Id": "queue", "Arn": arn}])
    yield url
    events.remove_targets(Rule=name, Ids=["queue"])
    events.delete_rule(Name=name)


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


def _received(cloud, url, count: int, timeout: float = 60.0) -> list[dict]:
    sqs, messages, deadline = cloud.client("sqs"), [], time.time() + timeout
    while len(messages) < count and time.time() < deadline:
        cloud.bus.wait_idle(5)
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
                "Messages", []):
            messages.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return messages


def test_start_and_end_send_the_documented_shape(cloud, queue, request):
    name = _job_prefix(request) + "-ok"
    arn = _job(cloud, name, "print('done')")
    events = _received(cloud, queue, 2)
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
    events = _received(cloud, queue, 2)
    final = events[-1]["detail"]
    assert final["ProcessingJobStatus"] == "Failed"
    assert final["FailureReason"] == cloud.client("sagemaker").describe_processing_job(
        ProcessingJobName=name)["FailureReason"]
