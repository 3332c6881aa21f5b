"""One embedded cloud (with the IAM check recording) for the Model Monitor tests, a bucket with
a baseline, and endpoints that capture into it: records only, created as moto stores them (a
served fleet is not needed to monitor files that are already captured)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mlops.localcloud.serving import control as serving_control
from mlops.localcloud.server import EmbeddedCloud
from tests.localcloud.cloudwatch.alarm_support import Clock
from tests.localcloud.model_monitor.support import ROLE, baseline_files, job_definition

BUCKET = "model-monitor-tests"
BASELINE = "baseline"
# The runner's clock in these tests: 10:20 UTC, so a run analyses 09:00-10:00 by default.
NOW = datetime(2026, 3, 2, 10, 20, tzinfo=UTC)


@pytest.fixture(scope="package")
def cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud"), iam_check=True) as running:
        # Only run_now/run_due run schedules, so no test sees another's runs (test_clock turns it on).
        running.monitoring.background = False
        s3 = running.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        statistics, constraints = baseline_files()
        s3.put_object(Bucket=BUCKET, Key=f"{BASELINE}/statistics.json", Body=json.dumps(statistics))
        s3.put_object(Bucket=BUCKET, Key=f"{BASELINE}/constraints.json", Body=json.dumps(constraints))
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                          "Principal": {"Service": "sagemaker.amazonaws.com"}}]}
        running.client("iam").create_role(RoleName=ROLE.rsplit("/", 1)[-1], AssumeRolePolicyDocument=json.dumps(trust))
        running.client("sagemaker").create_model(ModelName="monitored", ExecutionRoleArn=ROLE,
                                                 PrimaryContainer={"Image": "image"})
        yield running


@pytest.fixture
def clock(cloud):
    """The runner's clock frozen at NOW."""
    real = cloud.monitoring.clock
    cloud.monitoring.clock = frozen = Clock(NOW.timestamp())
    yield frozen
    cloud.monitoring.clock = real


def make_endpoint(cloud, name: str, *, capture: bool = True) -> None:
    """An endpoint record capturing to s3://BUCKET/data-capture, as moto stores it."""
    sagemaker = cloud.client("sagemaker")
    extra = {"DataCaptureConfig": {
        "EnableCapture": True, "InitialSamplingPercentage": 100, "DestinationS3Uri": f"s3://{BUCKET}/data-capture",
        "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]}} if capture else {}
    sagemaker.create_endpoint_config(EndpointConfigName=f"{name}-config", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "monitored", "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large"}], **extra)
    serving_control.install(None)  # moto's own CreateEndpoint: a record, no fleet
    try:
        sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")
    finally:
        serving_control.install(cloud.endpoints)


def make_definition(cloud, name: str, endpoint: str, baseline: str = BASELINE) -> None:
    cloud.client("sagemaker").create_data_quality_job_definition(
        **job_definition(name, endpoint=endpoint, bucket=BUCKET, baseline_prefix=baseline))


def put_capture(cloud, endpoint: str, hour: datetime, lines: list[str], part: str = "0") -> None:
    key = f"data-capture/{endpoint}/AllTraffic/{hour:%Y/%m/%d/%H}/capture-{part}.jsonl"
    cloud.client("s3").put_object(Bucket=BUCKET, Key=key, Body="\n".join(lines) + "\n")
