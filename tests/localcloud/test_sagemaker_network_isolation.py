"""Network-isolated jobs in the embedded cloud: the code comes in as the `code` channel, an
`s3://` submit directory is refused with the reason, and the container's HTTP clients reach
nothing; processing jobs with NetworkConfig isolation likewise."""

from __future__ import annotations

import json
import textwrap

import boto3
import pytest
from moto.server import ThreadedMotoServer

from mlops.localcloud.sagemaker_runner import run_processing_job, run_training_job
from tests.localcloud.test_sagemaker_runner_training import BUCKET, request, sourcedir

CODE_KEY = "assets/0123abcd.gz"  # CDK's name for the job archive: `<asset hash>.gz`
# Tries to reach S3 through Python's HTTP stack, as a job script that "just downloads" would.
PROBE_PY = textwrap.dedent("""
    import os, pathlib, sys, urllib.request
    try:
        urllib.request.urlopen(os.environ["PROBE_URL"], timeout=5)
        outcome = "reached"
    except OSError as error:
        outcome = f"unreachable: {type(error).__name__}"
    out = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else os.environ["SM_MODEL_DIR"]
    pathlib.Path(out, "probe.txt").write_text(outcome)
    print("probe", outcome)
""")


@pytest.fixture(scope="module")
def cloud():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="data/train/a.csv", Body=b"x,y\n1,2\n")
    s3.put_object(Bucket=BUCKET, Key=CODE_KEY, Body=sourcedir(**{"train.py": PROBE_PY}))
    yield {"s3": s3, "endpoint": endpoint}
    server.stop()


def _isolated(name: str, submit: str, endpoint: str) -> dict:
    base = request(name)
    return {**base, "EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True,
            "Environment": {"PROBE_URL": endpoint},
            "HyperParameters": {**base["HyperParameters"], "sagemaker_submit_directory": json.dumps(submit)},
            "InputDataConfig": [*base["InputDataConfig"], {"ChannelName": "code", "InputMode": "File", "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{BUCKET}/{CODE_KEY}",
                                 "S3DataDistributionType": "FullyReplicated"}}}]}


def _model_file(cloud, job: str, name: str) -> str:
    import io
    import tarfile

    body = cloud["s3"].get_object(Bucket=BUCKET, Key=f"runs/{job}/output/model.tar.gz")["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        return tar.extractfile(name).read().decode()


def test_the_code_channel_installs_the_job_code(cloud):
    outcome = run_training_job(_isolated("code-channel", "/opt/ml/input/data/code/0123abcd.gz", cloud["endpoint"]),
                               s3_client=cloud["s3"])
    assert outcome.status == "Completed", outcome.failure_reason


def test_the_isolated_container_reaches_nothing_over_http(cloud):
    run_training_job(_isolated("no-network", "/opt/ml/input/data/code/0123abcd.gz", cloud["endpoint"]),
                     s3_client=cloud["s3"])
    assert _model_file(cloud, "no-network", "probe.txt").startswith("unreachable")


def test_without_isolation_the_same_script_reaches_the_endpoint(cloud):
    plain = {**_isolated("with-network", "/opt/ml/input/data/code/0123abcd.gz", cloud["endpoint"]),
             "EnableNetworkIsolation": False}
    run_training_job(plain, s3_client=cloud["s3"])
    assert _model_file(cloud, "with-network", "probe.txt") == "reached"


def test_an_s3_submit_directory_is_refused_under_isolation_naming_the_way_out(cloud):
    submit = f"s3://{BUCKET}/{CODE_KEY}"
    outcome = run_training_job(_isolated("s3-code", submit, cloud["endpoint"]), s3_client=cloud["s3"])
    assert outcome.status == "Failed"
    assert f"sagemaker_submit_directory={submit}" in outcome.failure_reason
    assert "EnableNetworkIsolation" in outcome.failure_reason and "/opt/ml/input/data/code/" in outcome.failure_reason


def test_an_isolated_processing_container_reaches_nothing_over_http(cloud):
    outcome = run_processing_job({
        "ProcessingJobName": "isolated-processing",
        "RoleArn": "arn:aws:iam::123456789012:role/processing",
        "AppSpecification": {"ImageUri": "sagemaker-scikit-learn:1.9-0-cpu-py3",
                             "ContainerEntrypoint": ["python3", "-c", PROBE_PY],
                             "ContainerArguments": ["/opt/ml/processing/out"]},
        "Environment": {"PROBE_URL": cloud["endpoint"]},
        "ProcessingOutputConfig": {"Outputs": [{"OutputName": "out", "S3Output": {
            "S3Uri": f"s3://{BUCKET}/processing/out", "LocalPath": "/opt/ml/processing/out", "S3UploadMode": "EndOfJob"}}]},
        "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 30}},
        "NetworkConfig": {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True},
    }, s3_client=cloud["s3"])
    assert outcome.status == "Completed", outcome.failure_reason
    probe = cloud["s3"].get_object(Bucket=BUCKET, Key="processing/out/probe.txt")["Body"].read().decode()
    assert probe.startswith("unreachable")
