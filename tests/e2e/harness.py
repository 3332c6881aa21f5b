"""What the end-to-end tests do as a user would: upload, wait for the run, read results."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

from mlops.localcloud.server import EmbeddedCloud
from mlops.localcloud.synth import synthesize
from mlops.runs import execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name

STACK_NAME = "MlopsE2E"
PENGUINS = Path(__file__).resolve().parents[2] / "data" / "penguins.csv"


@contextmanager
def deployed_stack(config: Path, tmp_path_factory, *, poll_seconds: int = 1, iam_check: bool = False):
    """The real CDK app synthesized with `config` and provisioned into a fresh embedded cloud,
    as a `Stack`; the cloud stops when the block ends. With `iam_check`, every AWS call the
    stack makes is checked against its roles (mlops.localcloud.iam), and the block fails at its
    end if the deployed roles would have refused any of them."""
    stack_name = json.loads(config.read_text()).get("stack_name", "MlopsStack")
    cdk_out = synthesize(config, tmp_path_factory.mktemp("cdk.out"), context={"poll_seconds": poll_seconds})
    cloud = EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud"), iam_check=iam_check).start()
    try:
        yield Stack(cloud, cloud.deploy(cdk_out, stack_name).outputs)
        if iam_check:
            cloud.bus.wait_idle()  # deliveries still running make calls too
            cloud.iam.assert_allowed()
    finally:
        cloud.stop()


class Stack:
    def __init__(self, cloud: EmbeddedCloud, outputs: dict[str, str]) -> None:
        self.cloud = cloud
        self.outputs = outputs
        self.s3 = cloud.client("s3")
        self.sfn = cloud.client("stepfunctions")
        self.sagemaker = cloud.client("sagemaker")

    @property
    def data_bucket(self) -> str:
        return self.outputs["DataBucketName"]

    def upload(self, key: str, body: bytes) -> str:
        return self.s3.put_object(Bucket=self.data_bucket, Key=key, Body=body)["VersionId"]

    def run(self, key: str, body: bytes, timeout: float = 300):
        """Upload `body` as a user would and wait for the execution it starts."""
        version_id = self.upload(key, body)
        model = key.split("/")[1]
        name = upload_execution_name(model, self.data_bucket, key, version_id)
        arn = execution_arn(self.outputs["TrainingPipelineArn"], name)
        return version_id, wait_for_execution(self.sfn, arn, timeout=timeout)

    def executions(self) -> list[dict]:
        pages = self.sfn.get_paginator("list_executions").paginate(
            stateMachineArn=self.outputs["TrainingPipelineArn"])
        return [e for page in pages for e in page["executions"]]

    def model_packages(self, group: str) -> list[dict]:
        return self.sagemaker.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]



def settings_parameter(stack: Stack, model: str) -> dict:
    ssm = stack.cloud.client("ssm")
    return json.loads(ssm.get_parameter(Name=f"/{STACK_NAME}/models/{model}")["Parameter"]["Value"])


def operator_cli(stack: Stack, stack_name: str, workdir: Path):
    """`mlops(*args, input=None)`: the CLI as an operator runs it against the deployed stack,
    with `--local --endpoint-url <the cloud> --outputs-file <what mlops local up writes>`. A
    traceback in what it prints fails the test: errors must read as advice.

    The options go on the command line, not in the environment: CliRunner would set and then
    delete environment variables around each call while the cloud's threads read the
    environment (botocore lists it for proxies), and a key deleted mid-read fails their call."""
    from click.testing import CliRunner

    from mlops.cli.main import cli

    outputs = workdir / "outputs.json"
    outputs.write_text(json.dumps({stack_name: stack.outputs}))
    where = ["--local", "--endpoint-url", stack.cloud.endpoint_url, "--outputs-file", str(outputs),
             "--stack", stack_name, "--region", "us-east-1"]

    def run(*args: str, input: str | None = None):
        result = CliRunner().invoke(cli, [*args, *where], input=input, catch_exceptions=False)
        assert "Traceback" not in result.output, result.output
        return result
    return run
