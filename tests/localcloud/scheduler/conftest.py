"""One embedded cloud for the scheduler tests, a role Scheduler may assume, a Lambda function
that echoes its event, and a clock the tests control (like the alarm tests' clock)."""

from __future__ import annotations

import io
import json
import math
import time
import zipfile

import pytest

from mlops.localcloud.lambda_runtime import FunctionSpec
from mlops.localcloud.server import EmbeddedCloud
from tests.localcloud.cloudwatch.alarm_support import Clock

ECHO = "def handler(event, context):\n    return {'received': event}\n"


@pytest.fixture(scope="package")
def cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as running:
        yield running


@pytest.fixture(scope="package")
def role_arn(cloud) -> str:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                      "Principal": {"Service": "scheduler.amazonaws.com"}}]}
    return cloud.client("iam").create_role(RoleName="scheduler-tests",
                                           AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


@pytest.fixture(scope="package")
def echo_function(cloud, role_arn) -> str:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("echo.py", ECHO)
    cloud.client("s3").create_bucket(Bucket="scheduler-tests-code")
    cloud.client("s3").put_object(Bucket="scheduler-tests-code", Key="echo.zip", Body=archive.getvalue())
    arn = cloud.client("lambda").create_function(
        FunctionName="echo", Runtime="python3.11", Role=role_arn, Handler="echo.handler",
        Code={"S3Bucket": "scheduler-tests-code", "S3Key": "echo.zip"})["FunctionArn"]
    cloud.runtime.register(FunctionSpec(name="echo", arn=arn, handler="echo.handler", role_arn=role_arn,
                                        code_bucket="scheduler-tests-code", code_key="echo.zip", timeout=30))
    return arn


@pytest.fixture
def clock(cloud):
    """Frozen on a minute boundary, only `run_due` running schedules; real time afterwards."""
    real = cloud.schedules.clock
    frozen = Clock(math.floor(time.time() / 60) * 60 + 0.5)
    cloud.schedules.clock, cloud.schedules.background = frozen, False
    yield frozen
    cloud.schedules.clock, cloud.schedules.background = real, True


@pytest.fixture
def queue(cloud, request):
    sqs = cloud.client("sqs")
    url = sqs.create_queue(QueueName=request.node.name[:70])["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def received(cloud, url: str) -> list[dict]:
    return cloud.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                               MessageAttributeNames=["All"]).get("Messages", [])
