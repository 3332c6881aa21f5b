"""Fixtures for the Lambda handler tests: fake credentials, moto, a Lambda context, and the
AWS resources the handlers meet (builders for events and payloads are in builders.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

import lambdas.prepare_data.handler as prepare_data
import lambdas.start_pipeline.handler as start_pipeline
import lambdas.validate_data.handler as validate_data
from tests.lambdas.builders import (
    ACCOUNT,
    ARTIFACTS_BUCKET,
    DATA_BUCKET,
    PENGUINS,
    PENGUINS_SETTINGS,
    REGION,
    SETTINGS_PREFIX,
)


@dataclass
class FakeLambdaContext:
    function_name: str = "test-function"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:test-function"
    aws_request_id: str = "5b0c2a8e-0000-4000-8000-000000000000"
    log_group_name: str = "/aws/lambda/test-function"
    log_stream_name: str = "2026/11/27/[$LATEST]0000"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


@pytest.fixture
def aws(monkeypatch):
    """moto for every AWS call; fresh boto3 clients in the handlers (they cache them)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        _clear_client_caches()
        yield
    _clear_client_caches()


def _clear_client_caches() -> None:
    for module in (start_pipeline, validate_data, prepare_data):
        for name in ("_s3", "_ssm", "_sfn"):
            cached = getattr(module, name, None)
            if cached is not None:
                cached.cache_clear()


@pytest.fixture
def s3(aws):
    client = boto3.client("s3", region_name=REGION)
    for bucket in (DATA_BUCKET, ARTIFACTS_BUCKET):
        client.create_bucket(Bucket=bucket)
    client.put_bucket_versioning(Bucket=DATA_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    return client


@pytest.fixture
def ssm(aws):
    return boto3.client("ssm", region_name=REGION)


@pytest.fixture
def state_machine_arn(aws, monkeypatch) -> str:
    """A real (moto) state machine with a trivial Pass definition, wired into the env."""
    sfn = boto3.client("stepfunctions", region_name=REGION)
    definition = {"StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "End": True}}}
    arn = sfn.create_state_machine(
        name="TrainingPipeline",
        definition=json.dumps(definition),
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/TrainingPipelineRole",
    )["stateMachineArn"]
    monkeypatch.setenv("STATE_MACHINE_ARN", arn)
    monkeypatch.setenv("SETTINGS_PARAMETER_PREFIX", SETTINGS_PREFIX)
    monkeypatch.setenv("ARTIFACTS_BUCKET", ARTIFACTS_BUCKET)
    monkeypatch.setenv("DATA_BUCKET", DATA_BUCKET)
    monkeypatch.setenv("POLL_SECONDS", "7")
    return arn


@pytest.fixture
def sfn(aws):
    return boto3.client("stepfunctions", region_name=REGION)


@pytest.fixture
def penguins_settings(ssm) -> dict[str, Any]:
    """The penguins model configured in SSM, as CDK writes it."""
    ssm.put_parameter(Name=f"{SETTINGS_PREFIX}penguins", Value=json.dumps(PENGUINS_SETTINGS), Type="String")
    return PENGUINS_SETTINGS


@pytest.fixture
def penguins_csv() -> bytes:
    return PENGUINS.read_bytes()
