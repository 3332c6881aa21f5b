"""One embedded cloud for the serving tests, from the real CDK app with its own config: a
canary model and a shadow-tested model, both with manual approval so a test can prepare a
version (inject a fault into it) before the approval that deploys it.

Nothing here reaches an outcome by a shortcut: versions come from uploads and training runs,
deployments start from `mlops approve` (SageMaker's approval event), alarms fire from the
metrics the runtime emits while serving.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pandas as pd
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from mlops.runs import RunSummary, wait_for_execution
from tests.e2e.harness import PENGUINS, Stack, deployed_stack, operator_cli

CONFIG = Path(__file__).with_name("serving_models.json")
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
def serving(stack, mlops) -> "Serving":
    return Serving(stack, mlops)


def feature_records(count: int = 20, offset: int = 0) -> list[dict]:
    """Penguins rows without the target, as JSON records (named columns)."""
    frame = pd.read_csv(PENGUINS).drop(columns=["species"]).dropna().iloc[offset:offset + count]
    return json.loads(frame.to_json(orient="records"))


class Serving:
    """A user's view of serving: train a version, approve it, watch its deployment."""

    def __init__(self, stack: Stack, mlops) -> None:
        self.stack, self.mlops = stack, mlops
        self.runtime = stack.cloud.client("sagemaker-runtime")
        self.pipeline = stack.outputs["DeploymentPipelineArn"]
        self.uploads = 0

    def endpoint(self, model: str) -> str:
        return f"{STACK_NAME}-{model}"

    def train(self, model: str) -> str:
        """Upload the demo data under a fresh key, wait for the run; the new package's ARN."""
        self.uploads += 1
        _, summary = self.stack.run(f"datasets/{model}/upload-{self.uploads}.csv", PENGUINS.read_bytes())
        assert summary.succeeded, (summary.error, summary.cause)
        return summary.output["registration"]["ModelPackageArn"]

    def approve(self, model: str, package_arn: str, timeout: float = 300) -> RunSummary:
        """`mlops approve` the version; wait for the deployment run the approval event starts."""
        before = {e["executionArn"] for e in self._executions()}
        result = self.mlops("approve", model, "--version", package_arn.rsplit("/", 1)[-1])
        assert result.exit_code == 0, result.output
        deadline = time.monotonic() + 60
        while True:
            started = [e for e in self._executions() if e["executionArn"] not in before]
            if started:
                break
            assert time.monotonic() < deadline, "the approval started no deployment run"
            time.sleep(0.5)
        [execution] = started
        return wait_for_execution(self.stack.sfn, execution["executionArn"], timeout=timeout)

    def _executions(self) -> list[dict]:
        pages = self.stack.sfn.get_paginator("list_executions").paginate(stateMachineArn=self.pipeline)
        return [e for page in pages for e in page["executions"]]

    def describe(self, model: str) -> dict:
        return self.stack.sagemaker.describe_endpoint(EndpointName=self.endpoint(model))

    def invoke(self, model: str, records: list[dict], **kwargs) -> dict:
        answer = self.runtime.invoke_endpoint(EndpointName=self.endpoint(model), ContentType="application/json",
                                              Accept="application/json", Body=json.dumps({"instances": records}),
                                              **kwargs)
        return {"variant": answer["InvokedProductionVariant"], **json.loads(answer["Body"].read())}

    def load(self, model: str, rate: float = 8.0) -> "Load":
        return Load(self.stack.cloud, self.endpoint(model), rate)


@dataclass
class Outcome:
    at: float
    ok: bool
    variant: str | None = None
    status: int | None = None
    code: str | None = None
    message: str = ""


@dataclass
class Load:
    """Steady traffic from a thread, as clients of a live endpoint send it; every answer kept."""

    cloud: object
    endpoint: str
    rate: float
    outcomes: list[Outcome] = field(default_factory=list)

    def __enter__(self) -> "Load":
        self._stop = threading.Event()
        # No retries: a failed request must show up as a failure, not be hidden by a retry.
        self._client = boto3.client("sagemaker-runtime", endpoint_url=self.cloud.endpoint_url, region_name="us-east-1",
                                    aws_access_key_id="local", aws_secret_access_key="local",
                                    config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        records = feature_records(5)
        body = json.dumps({"instances": records})
        while not self._stop.is_set():
            at = time.time()
            try:
                answer = self._client.invoke_endpoint(EndpointName=self.endpoint, Body=body,
                                                      ContentType="application/json", Accept="application/json")
                predictions = json.loads(answer["Body"].read())["predictions"]
                self.outcomes.append(Outcome(at, len(predictions) == len(records), answer["InvokedProductionVariant"]))
            except ClientError as error:
                meta = error.response.get("ResponseMetadata", {})
                self.outcomes.append(Outcome(at, False, status=meta.get("HTTPStatusCode"),
                                             code=error.response["Error"].get("Code"), message=str(error)))
            except Exception as error:  # noqa: BLE001 - a dropped connection is an outcome too
                self.outcomes.append(Outcome(at, False, message=repr(error)))
            self._stop.wait(1.0 / self.rate)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


@pytest.fixture(scope="package")
def first_deployment(serving) -> tuple[str, RunSummary]:
    """Version 1 of penguins, trained from an upload and deployed by its approval."""
    arn = serving.train("penguins")
    return arn, serving.approve("penguins", arn)


def package(stack: Stack, arn: str) -> dict:
    return stack.sagemaker.describe_model_package(ModelPackageName=arn)


@pytest.fixture(scope="package")
def canary(serving, first_deployment):
    """Version 2, deployed by canary while steady traffic runs."""
    arn = serving.train("penguins")
    before = serving.describe("penguins")["EndpointConfigName"]
    with serving.load("penguins") as load:
        summary = serving.approve("penguins", arn)
    return arn, before, summary, load


@pytest.fixture(scope="package")
def faulty(stack, serving, canary):
    """Version 3, whose every answer fails (fault injection), approved while traffic runs."""
    arn = serving.train("penguins")
    serving_before = serving.describe("penguins")["EndpointConfigName"]
    stack.cloud.faults.inject(arn, error_rate=1.0)  # every request this version answers fails
    with serving.load("penguins") as load:
        summary = serving.approve("penguins", arn)
    stack.cloud.faults.clear(arn)
    return arn, serving_before, summary, load
