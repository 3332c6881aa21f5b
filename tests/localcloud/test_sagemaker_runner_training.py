"""Training jobs run locally per SageMaker's script-mode contract, against a moto server."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import textwrap
from datetime import datetime
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mlops.localcloud.sagemaker import toolkit
from mlops.localcloud.sagemaker_runner import run_training_job

BUCKET = "jobs"
SUBMIT = f"s3://{BUCKET}/code/sourcedir.tar.gz"
TRAIN_PY = textwrap.dedent("""
    import argparse, json, os, pathlib, sys
    parser = argparse.ArgumentParser()
    parser.add_argument("--learning-rate", type=float)
    parser.add_argument("--target")
    parser.add_argument("-k")
    args = parser.parse_args()
    train = pathlib.Path(os.environ["SM_CHANNEL_TRAIN"])
    print("train:loss=0.5")
    print("validation:acc=0.75", file=sys.stderr)
    print("train:loss=0.25")
    print("train:loss=not-a-number")
    model = pathlib.Path(os.environ["SM_MODEL_DIR"])
    (model / "model.txt").write_text((train / "a.csv").read_text())
    config = pathlib.Path(os.environ["SM_INPUT_CONFIG_DIR"])
    (model / "report.json").write_text(json.dumps({
        "argv": sys.argv[1:],
        "files": sorted(p.relative_to(train).as_posix() for p in train.rglob("*") if p.is_file()),
        "hyperparameters.json": json.loads((config / "hyperparameters.json").read_text()),
        "env": {k: v for k, v in os.environ.items() if k.startswith(("SM_", "AWS_", "PYTHONPATH"))},
        "cwd": os.getcwd(),
    }))
    (pathlib.Path(os.environ["SM_OUTPUT_DATA_DIR"]) / "extra.txt").write_text("extra")
""")
FAIL_PY = textwrap.dedent("""
    import os, pathlib, sys
    print("train:loss=0.9")
    pathlib.Path(os.environ["SM_OUTPUT_DIR"], "failure").write_text("Target column 'species' is missing.")
    sys.exit(1)
""")
CRASH_PY = "raise ValueError('bad column: species')\n"
SLOW_PY = textwrap.dedent("""
    import os, pathlib, time
    pathlib.Path(os.environ["SM_MODEL_DIR"], "partial.txt").write_text("partial")
    time.sleep(60)
""")
HYPERPARAMETERS = {"sagemaker_program": '"train.py"', "sagemaker_submit_directory": json.dumps(SUBMIT),
                   "sagemaker_region": '"us-east-1"', "sagemaker_container_log_level": "20",
                   "learning-rate": "0.1", "target": "species", "k": "3"}


@pytest.fixture(scope="module")
def cloud():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    kwargs = {"endpoint_url": f"http://{host}:{port}", "region_name": "us-east-1",
              "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    s3 = boto3.client("s3", **kwargs)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="data/train/a.csv", Body=b"x,y\n1,2\n")
    s3.put_object(Bucket=BUCKET, Key="data/train/part/b.csv", Body=b"x,y\n3,4\n")
    s3.put_object(Bucket=BUCKET, Key="data/train/", Body=b"")  # a console "folder" marker
    yield {"s3": s3, "logs": boto3.client("logs", **kwargs)}
    server.stop()


def sourcedir(**scripts: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in scripts.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    return buffer.getvalue()


def request(name: str, **overrides) -> dict:
    base = {
        "TrainingJobName": name,
        "AlgorithmSpecification": {"TrainingImage": "sagemaker-scikit-learn:1.9-0-cpu-py3", "TrainingInputMode": "File",
                                   "MetricDefinitions": [{"Name": "train:loss", "Regex": r"train:loss=(\S+)"},
                                                         {"Name": "validation:acc", "Regex": r"validation:acc=([-+0-9.eE]+)"}]},
        "RoleArn": "arn:aws:iam::123456789012:role/training",
        "HyperParameters": dict(HYPERPARAMETERS),
        "InputDataConfig": [{"ChannelName": "train", "ContentType": "text/csv", "DataSource": {"S3DataSource": {
            "S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/data/train/", "S3DataDistributionType": "FullyReplicated"}}}],
        "OutputDataConfig": {"S3OutputPath": f"s3://{BUCKET}/runs/"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30},
        "StoppingCondition": {"MaxRuntimeInSeconds": 600},
    }
    return {**base, **overrides}


def run(cloud, name: str, script: str = TRAIN_PY, **overrides):
    cloud["s3"].put_object(Bucket=BUCKET, Key="code/sourcedir.tar.gz", Body=sourcedir(**{"train.py": script}))
    return run_training_job(request(name, **overrides), s3_client=cloud["s3"])


def read_tar(cloud, key: str) -> dict[str, bytes]:
    body = cloud["s3"].get_object(Bucket=BUCKET, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


@pytest.fixture(scope="module")
def completed(cloud):
    cloud["s3"].put_object(Bucket=BUCKET, Key="code/sourcedir.tar.gz", Body=sourcedir(**{"train.py": TRAIN_PY}))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AWS_ACCESS_KEY_ID", "parent-key")  # must not leak into the job
        env.setenv("AWS_SECRET_ACCESS_KEY", "parent-secret")
        outcome = run_training_job(request("ok-job"), s3_client=cloud["s3"], logs_client=cloud["logs"])
    model = read_tar(cloud, "runs/ok-job/output/model.tar.gz")
    return outcome, model, json.loads(model["report.json"])


def test_completed_job_uploads_model_dir_contents_without_leading_dir(completed):
    outcome, model, _ = completed
    assert outcome.status == "Completed", outcome.log_text
    assert outcome.failure_reason is None
    assert outcome.model_artifacts == f"s3://{BUCKET}/runs/ok-job/output/model.tar.gz"
    assert sorted(model) == ["model.txt", "report.json"]
    assert model["model.txt"] == b"x,y\n1,2\n"


def test_output_data_dir_is_uploaded_as_output_tar_gz(cloud, completed):
    assert read_tar(cloud, "runs/ok-job/output/output.tar.gz") == {"extra.txt": b"extra"}


def test_final_metrics_are_the_last_numeric_values_printed(completed):
    metrics = completed[0].final_metrics
    assert [(m["MetricName"], m["Value"]) for m in metrics] == [("train:loss", 0.25), ("validation:acc", 0.75)]
    assert all(isinstance(m["Timestamp"], datetime) for m in metrics)


def test_hyperparameters_arrive_as_sorted_cli_args_without_sagemaker_ones(completed):
    assert completed[2]["argv"] == ["-k", "3", "--learning-rate", "0.1", "--target", "species"]


def test_hyperparameters_json_holds_the_request_strings(completed):
    assert completed[2]["hyperparameters.json"] == HYPERPARAMETERS


def test_channel_keeps_key_paths_relative_to_the_prefix(completed):
    assert completed[2]["files"] == ["a.csv", "part/b.csv"]


def test_environment_is_the_toolkits_without_parent_credentials(completed):
    env, cwd = completed[2]["env"], completed[2]["cwd"]
    assert env["SM_CURRENT_HOST"] == "algo-1" and env["SM_HOSTS"] == '["algo-1"]'
    assert env["SM_CHANNELS"] == '["train"]' and env["SM_CHANNEL_TRAIN"].endswith("/opt/ml/input/data/train")
    assert json.loads(env["SM_HPS"]) == {"learning-rate": 0.1, "target": "species", "k": 3}
    assert env["SM_HP_TARGET"] == "species" and env["SM_HP_LEARNING-RATE"] == "0.1"
    assert env["SM_USER_ENTRY_POINT"] == "train.py" and env["SM_MODULE_DIR"] == SUBMIT
    assert env["PYTHONPATH"] == cwd and cwd.endswith("/opt/ml/code")
    assert json.loads(env["SM_TRAINING_ENV"])["job_name"] == "ok-job"
    assert "AWS_ACCESS_KEY_ID" not in env and "AWS_SECRET_ACCESS_KEY" not in env


def test_temporary_root_is_deleted(completed):
    assert completed[0].root is None
    assert not Path(completed[2]["env"]["SM_MODEL_DIR"]).exists()


def test_log_goes_to_cloudwatch_training_group(cloud, completed):
    streams = cloud["logs"].describe_log_streams(logGroupName="/aws/sagemaker/TrainingJobs")["logStreams"]
    stream = next(s["logStreamName"] for s in streams if s["logStreamName"].startswith("ok-job/algo-1-"))
    events = cloud["logs"].get_log_events(logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=stream)["events"]
    assert "train:loss=0.25" in [e["message"] for e in events]
    assert "validation:acc=0.75" in completed[0].log_text


def test_kms_key_encrypts_the_artifacts(cloud):
    outcome = run(cloud, "kms-job", OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/runs", "KmsKeyId": "alias/jobs"})
    head = cloud["s3"].head_object(Bucket=BUCKET, Key="runs/kms-job/output/model.tar.gz")
    assert outcome.status == "Completed"
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", "alias/jobs")


def test_failure_file_becomes_the_failure_reason(cloud):
    outcome = run(cloud, "fail-job", FAIL_PY)
    assert outcome.status == "Failed"
    assert outcome.failure_reason == "AlgorithmError: Target column 'species' is missing."
    assert outcome.model_artifacts is None
    assert [m["Value"] for m in outcome.final_metrics] == [0.9]
    assert "Contents" not in cloud["s3"].list_objects_v2(Bucket=BUCKET, Prefix="runs/fail-job/")


def test_crash_without_failure_file_reports_exit_code_and_stderr(cloud):
    outcome = run(cloud, "crash-job", CRASH_PY)
    assert outcome.status == "Failed"
    assert outcome.failure_reason.startswith("AlgorithmError: ExecuteUserScriptError:\nExitCode 1\n")
    assert "ValueError: bad column: species" in outcome.failure_reason
    assert outcome.failure_reason.endswith("exit code: 1")


def test_wrong_submit_directory_fails_naming_the_uri(cloud):
    wrong = f"s3://{BUCKET}/code/missing.tar.gz"
    outcome = run(cloud, "wrong-code", HyperParameters={**HYPERPARAMETERS, "sagemaker_submit_directory": json.dumps(wrong)})
    assert outcome.status == "Failed"
    assert wrong in outcome.failure_reason and "sagemaker_submit_directory" in outcome.failure_reason


def test_missing_program_fails_naming_the_program(cloud):
    outcome = run(cloud, "wrong-program", HyperParameters={**HYPERPARAMETERS, "sagemaker_program": '"nope.py"'})
    assert outcome.status == "Failed"
    assert "nope.py" in outcome.failure_reason and SUBMIT in outcome.failure_reason


def test_manifest_file_channels_fail_clearly(cloud):
    channel = {"ChannelName": "train", "DataSource": {"S3DataSource": {
        "S3DataType": "ManifestFile", "S3Uri": f"s3://{BUCKET}/data/train/"}}}
    outcome = run(cloud, "manifest-job", InputDataConfig=[channel])
    assert outcome.status == "Failed" and "ManifestFile" in outcome.failure_reason


def test_empty_channel_prefix_fails_naming_the_uri(cloud):
    channel = {"ChannelName": "train", "DataSource": {"S3DataSource": {
        "S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/data/nothing/"}}}
    outcome = run(cloud, "empty-job", InputDataConfig=[channel])
    assert outcome.status == "Failed" and f"s3://{BUCKET}/data/nothing/" in outcome.failure_reason


def test_max_runtime_stops_the_job_and_keeps_the_saved_model(cloud):
    outcome = run(cloud, "slow-job", SLOW_PY, StoppingCondition={"MaxRuntimeInSeconds": 1})
    assert (outcome.status, outcome.secondary_status) == ("Stopped", "MaxRuntimeExceeded")
    assert "MaxRuntimeInSeconds" in outcome.failure_reason
    assert read_tar(cloud, "runs/slow-job/output/model.tar.gz") == {"partial.txt": b"partial"}


def test_single_object_uri_downloads_that_object_and_keep_root_keeps_configs(cloud):
    channel = {"ChannelName": "train", "DataSource": {"S3DataSource": {
        "S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/data/train/a.csv"}}}
    script = "import os; print(sorted(os.listdir(os.environ['SM_CHANNEL_TRAIN'])))\n"
    cloud["s3"].put_object(Bucket=BUCKET, Key="code/sourcedir.tar.gz", Body=sourcedir(**{"train.py": script}))
    outcome = run_training_job(request("one-object", InputDataConfig=[channel]), s3_client=cloud["s3"], keep_root=True)
    config = Path(outcome.root, "opt/ml/input/config")
    try:
        assert "['a.csv']" in outcome.log_text
        assert json.loads((config / "inputdataconfig.json").read_text())["train"]["TrainingInputMode"] == "File"
        assert json.loads((config / "resourceconfig.json").read_text())["current_host"] == "algo-1"
    finally:
        shutil.rmtree(outcome.root)


def test_cmd_args_follow_the_toolkit_mapping():
    decoded = toolkit.decode_hyperparameters({"b": "true", "alpha": "[1, 2]", "mode": '{"x": 1}', "raw": "abc"})
    assert toolkit.to_cmd_args(decoded) == ["--alpha", "[1, 2]", "-b", "True", "--mode", "x=1", "--raw", "abc"]
