"""`mlops local up` as a user runs it: a foreground server that any AWS client can use."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from mlops.runs import execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def local_up(tmp_path_factory):
    port = _free_port()
    outputs_file = tmp_path_factory.mktemp("outputs") / "outputs.json"
    mlops = Path(sys.executable).with_name("mlops")
    process = subprocess.Popen(
        [str(mlops), "local", "up", "--config", str(REPO_ROOT / "config" / "dev.json"), "--port", str(port),
         "--outputs-file", str(outputs_file), "--poll-seconds", "1"],
        cwd=tmp_path_factory.mktemp("cwd"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.time() + 180
    while not outputs_file.exists():
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail(f"local up did not start:\n{process.stdout.read()}")
        time.sleep(0.5)
    yield process, port, json.loads(outputs_file.read_text())
    if process.poll() is None:
        process.kill()


def _client(service: str, port: int):
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="any", aws_secret_access_key="any")


def test_outputs_file_has_the_cdk_deploy_shape(local_up):
    _, _, outputs = local_up
    assert list(outputs) == ["MlopsStack"]
    assert {"DataBucketName", "ArtifactsBucketName", "TrainingPipelineArn"} <= set(outputs["MlopsStack"])


def test_any_s3_client_upload_starts_the_pipeline_and_registers_a_model(local_up):
    _, port, outputs = local_up
    stack = outputs["MlopsStack"]
    s3 = _client("s3", port)
    key = "datasets/penguins/from-a-client.csv"
    version = s3.put_object(Bucket=stack["DataBucketName"], Key=key,
                            Body=(REPO_ROOT / "data" / "penguins.csv").read_bytes())["VersionId"]
    arn = execution_arn(stack["TrainingPipelineArn"],
                        upload_execution_name("penguins", stack["DataBucketName"], key, version))
    summary = wait_for_execution(_client("stepfunctions", port), arn, timeout=300)
    assert summary.status == "SUCCEEDED", summary.cause
    sagemaker = _client("sagemaker", port)
    groups = [g["ModelPackageGroupName"] for g in sagemaker.list_model_package_groups()["ModelPackageGroupSummaryList"]]
    assert "MlopsStack-penguins" in groups
    package = sagemaker.list_model_packages(ModelPackageGroupName="MlopsStack-penguins")["ModelPackageSummaryList"][0]
    described = sagemaker.describe_model_package(ModelPackageName=package["ModelPackageArn"])
    assert described["CustomerMetadataProperties"]["DataVersionId"] == version


def test_sigint_stops_the_server_cleanly(local_up):
    process, port, _ = local_up
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    with pytest.raises(Exception):
        _client("s3", port).list_buckets()
