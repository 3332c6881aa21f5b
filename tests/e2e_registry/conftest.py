"""One embedded cloud for the registry tests, from the real CDK app with its own two-model
config (one auto-approved model, one manual), provisioned once for this folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.harness import PENGUINS, Stack, deployed_stack, operator_cli

CONFIG = Path(__file__).with_name("registry_models.json")
STACK_NAME = json.loads(CONFIG.read_text())["stack_name"]


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        yield deployed


@pytest.fixture(scope="package")
def mlops(stack, tmp_path_factory):
    """mlops(*args) runs the CLI as an operator would, against the embedded cloud (--local
    --endpoint-url) with the stack outputs file `mlops local up` writes."""
    return operator_cli(stack, STACK_NAME, tmp_path_factory.mktemp("outputs"))


@pytest.fixture(scope="package")
def runs(stack) -> dict:
    """Every upload the registry tests look at. The manual model's run goes on while churn's
    three uploads of one key run in order: plenty of data (the first version, no champion), the
    same bytes again (an equal challenger), and little fresh data (a worse challenger)."""
    from mlops.runs import execution_arn, wait_for_execution
    from mlops_core.naming import upload_execution_name
    from tests.e2e_registry.datasets import little_csv, plenty_csv

    manual_key = "datasets/penguins-manual/penguins.csv"
    manual_version = stack.upload(manual_key, PENGUINS.read_bytes())
    found = {label: stack.run("datasets/churn/customers.csv", body)
             for label, body in (("plenty", plenty_csv()), ("same", plenty_csv()), ("little", little_csv()))}
    arn = execution_arn(stack.outputs["TrainingPipelineArn"],
                        upload_execution_name("penguins-manual", stack.data_bucket, manual_key, manual_version))
    found["manual"] = (manual_version, wait_for_execution(stack.sfn, arn, timeout=300))
    return found


@pytest.fixture(scope="package")
def churn_runs(runs) -> dict:
    return {label: runs[label] for label in ("plenty", "same", "little")}


@pytest.fixture(scope="package")
def manual_run(runs):
    version_id, summary = runs["manual"]
    assert summary.status == "SUCCEEDED", (summary.failed_state, summary.error, summary.cause)
    return version_id, summary


def read_json(stack, uri: str) -> dict:
    bucket, _, key = uri[len("s3://"):].partition("/")
    return json.loads(stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def package_of(stack, summary) -> dict:
    return stack.sagemaker.describe_model_package(ModelPackageName=summary.output["registration"]["ModelPackageArn"])
