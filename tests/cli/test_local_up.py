"""`mlops local up` as a user runs it: a foreground server that any AWS client can use."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

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


def _mlops(port: int, outputs: Path, *args: str) -> subprocess.CompletedProcess:
    """The CLI as a user runs it against `mlops local up`: `--local`, no AWS settings at all."""
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(outputs.parent),
           "MLOPS_LOCAL_URL": f"http://127.0.0.1:{port}"}
    return subprocess.run([str(Path(sys.executable).with_name("mlops")), *args, "--local", "--outputs-file",
                           str(outputs)], env=env, capture_output=True, text=True, timeout=600)


def test_the_quick_start_with_the_cli_alone(local_up, tmp_path):
    """README quick start: upload -> trained, registered, deployed -> invoke -> monitor."""
    _, port, outputs = local_up
    outputs_file = tmp_path / "outputs.json"
    outputs_file.write_text(json.dumps(outputs))
    uploaded = _mlops(port, outputs_file, "upload", "penguins", str(REPO_ROOT / "data" / "penguins.csv"), "--wait")
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
    deadline = time.time() + 120
    while True:
        status = _mlops(port, outputs_file, "endpoint", "status", "penguins", "--json")
        # InService, or Updating: an earlier test's version serves while this one's canary runs.
        if status.returncode == 0 and json.loads(status.stdout)["status"] in ("InService", "Updating"):
            break
        assert time.time() < deadline, status.stdout + status.stderr
        time.sleep(2)
    answer = _mlops(port, outputs_file, "invoke", "penguins", "--body",
                    "island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"
                    "Biscoe,46.5,14.8,217,5200,female,2008\n")
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout.splitlines()[0])["predictions"] == ["Gentoo"]
    monitored = _mlops(port, outputs_file, "monitor", "run", "penguins", "--json")
    assert monitored.returncode in (0, 5), monitored.stdout + monitored.stderr  # ok, or no data yet
    assert json.loads(monitored.stdout)["status"] in ("ok", "no-data")
    assert "Traceback" not in uploaded.stderr + status.stderr + answer.stderr + monitored.stderr



def test_sigint_stops_the_server_cleanly(local_up):
    process, port, _ = local_up
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=90) == 0
    with pytest.raises(EndpointConnectionError):
        _client("s3", port).list_buckets()
