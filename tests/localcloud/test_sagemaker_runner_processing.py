"""Processing jobs run locally as SageMaker Processing runs the container, against a moto server."""

from __future__ import annotations

import io
import json
import tarfile
import textwrap
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mlops.localcloud.sagemaker_runner import run_processing_job

BUCKET = "jobs"
# The evaluation entrypoint from docs/contracts.md: unpack the code, then `python3 evaluate.py`.
ENTRYPOINT = ["/bin/sh", "-c",
              'cd /opt/ml/processing/input/code && tar -xzf sourcedir.tar.gz && exec python3 evaluate.py "$@"',
              "evaluate"]
EVALUATE_PY = textwrap.dedent("""
    import argparse, json, os, pathlib, sys
    parser = argparse.ArgumentParser()
    parser.add_argument("--test-dir")
    parser.add_argument("--out")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    (out / "sub").mkdir(parents=True)
    rows = sorted(p.name for p in pathlib.Path(args.test_dir).iterdir())
    (out / "evaluation.json").write_text(json.dumps({
        "rows": rows, "args": sys.argv[1:], "python": sys.prefix, "cwd": os.getcwd(),
        "stage": os.environ.get("STAGE"), "secret": os.environ.get("AWS_SECRET_ACCESS_KEY"),
    }))
    (out / "sub" / "note.txt").write_text("nested")
    print("evaluated", len(rows), "files")
""")
FAILING_PY = textwrap.dedent("""
    import pathlib, sys
    pathlib.Path("/opt/ml/output/message".replace("/opt/ml", sys.argv[1])).write_text("model.tar.gz is empty")
    print("cannot evaluate: model.tar.gz is empty", file=sys.stderr)
    sys.exit(3)
""")


@pytest.fixture(scope="module")
def cloud():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    kwargs = {"endpoint_url": f"http://{host}:{port}", "region_name": "us-east-1",
              "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    s3 = boto3.client("s3", **kwargs)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="data/test/test.csv", Body=b"x,y\n1,2\n")
    s3.put_object(Bucket=BUCKET, Key="code/sourcedir.tar.gz", Body=sourcedir({"evaluate.py": EVALUATE_PY}))
    yield {"s3": s3, "logs": boto3.client("logs", **kwargs)}
    server.stop()


def sourcedir(scripts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in scripts.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    return buffer.getvalue()


def s3_input(name: str, uri: str, local_path: str) -> dict:
    return {"InputName": name, "S3Input": {"S3Uri": uri, "LocalPath": local_path, "S3DataType": "S3Prefix",
                                           "S3InputMode": "File"}}


def request(name: str, **overrides) -> dict:
    base = {
        "ProcessingJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/processing",
        "AppSpecification": {"ImageUri": "sagemaker-scikit-learn:1.9-0-cpu-py3", "ContainerEntrypoint": ENTRYPOINT,
                             "ContainerArguments": ["--test-dir", "/opt/ml/processing/test",
                                                    "--out", "/opt/ml/processing/evaluation"]},
        "ProcessingInputs": [s3_input("code", f"s3://{BUCKET}/code/sourcedir.tar.gz", "/opt/ml/processing/input/code"),
                             s3_input("test", f"s3://{BUCKET}/data/test/", "/opt/ml/processing/test")],
        "ProcessingOutputConfig": {"Outputs": [{"OutputName": "evaluation", "S3Output": {
            "S3Uri": f"s3://{BUCKET}/runs/{name}/evaluation/", "LocalPath": "/opt/ml/processing/evaluation",
            "S3UploadMode": "EndOfJob"}}]},
        "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 30}},
        "StoppingCondition": {"MaxRuntimeInSeconds": 600},
        "Environment": {"STAGE": "dev"},
    }
    return {**base, **overrides}


@pytest.fixture(scope="module")
def completed(cloud):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_SECRET_ACCESS_KEY", "parent-secret")  # must not leak into the job
        outcome = run_processing_job(request("eval-ok"), s3_client=cloud["s3"], logs_client=cloud["logs"])
    body = cloud["s3"].get_object(Bucket=BUCKET, Key="runs/eval-ok/evaluation/evaluation.json")["Body"].read()
    return outcome, json.loads(body)


def test_contract_entrypoint_runs_with_opt_ml_rebased(completed):
    outcome, report = completed
    assert outcome.status == "Completed", outcome.log_text
    assert report["rows"] == ["test.csv"]
    assert report["args"][1].endswith("/opt/ml/processing/test") and report["args"][1] != "/opt/ml/processing/test"
    assert "evaluated 1 files" in outcome.log_text


def test_python3_resolves_to_the_given_interpreter(completed):
    import sys

    assert completed[1]["python"] == sys.prefix


def test_every_output_file_is_uploaded_with_its_relative_path(cloud, completed):
    listed = cloud["s3"].list_objects_v2(Bucket=BUCKET, Prefix="runs/eval-ok/evaluation/")["Contents"]
    assert sorted(o["Key"] for o in listed) == ["runs/eval-ok/evaluation/evaluation.json",
                                               "runs/eval-ok/evaluation/sub/note.txt"]
    assert sorted(completed[0].output_artifacts) == [f"s3://{BUCKET}/{o['Key']}" for o in listed]


def test_environment_is_the_requests_without_parent_credentials(completed):
    assert completed[1]["stage"] == "dev" and completed[1]["secret"] is None


def test_root_is_deleted_and_log_goes_to_cloudwatch(cloud, completed):
    assert not Path(completed[1]["cwd"]).exists()
    group = "/aws/sagemaker/ProcessingJobs"
    stream = cloud["logs"].describe_log_streams(logGroupName=group, logStreamNamePrefix="eval-ok/algo-1-")["logStreams"][0]
    events = cloud["logs"].get_log_events(logGroupName=group, logStreamName=stream["logStreamName"])["events"]
    assert "evaluated 1 files" in [e["message"] for e in events]


def test_failure_reports_exit_code_stderr_and_exit_message(cloud):
    cloud["s3"].put_object(Bucket=BUCKET, Key="code-failing/sourcedir.tar.gz", Body=sourcedir({"evaluate.py": FAILING_PY}))
    req = request("eval-fail", ProcessingInputs=[
        s3_input("code", f"s3://{BUCKET}/code-failing/sourcedir.tar.gz", "/opt/ml/processing/input/code")])
    req["AppSpecification"]["ContainerArguments"] = ["/opt/ml"]
    outcome = run_processing_job(req, s3_client=cloud["s3"])
    assert outcome.status == "Failed"
    assert outcome.failure_reason.startswith("AlgorithmError: ")
    assert "exit code 3" in outcome.failure_reason and "model.tar.gz is empty" in outcome.failure_reason
    assert outcome.exit_message == "model.tar.gz is empty"
    assert "Contents" not in cloud["s3"].list_objects_v2(Bucket=BUCKET, Prefix="runs/eval-fail/")


def test_missing_input_fails_naming_the_uri(cloud):
    outcome = run_processing_job(request("eval-noinput", ProcessingInputs=[
        s3_input("model", f"s3://{BUCKET}/runs/none/model.tar.gz", "/opt/ml/processing/model")]), s3_client=cloud["s3"])
    assert outcome.status == "Failed" and f"s3://{BUCKET}/runs/none/model.tar.gz" in outcome.failure_reason


def test_max_runtime_stops_the_job(cloud):
    app = {"ImageUri": "img", "ContainerEntrypoint": ["python3", "-c", "import time; time.sleep(60)"]}
    outcome = run_processing_job(request("eval-slow", AppSpecification=app, ProcessingInputs=[],
                                         StoppingCondition={"MaxRuntimeInSeconds": 1}), s3_client=cloud["s3"])
    assert outcome.status == "Stopped" and "MaxRuntimeInSeconds" in outcome.failure_reason


def test_unknown_entrypoint_program_fails_clearly(cloud):
    app = {"ImageUri": "img", "ContainerEntrypoint": ["no-such-program-here"]}
    outcome = run_processing_job(request("eval-noprog", AppSpecification=app, ProcessingInputs=[]), s3_client=cloud["s3"])
    assert outcome.status == "Failed" and "no-such-program-here" in outcome.failure_reason
