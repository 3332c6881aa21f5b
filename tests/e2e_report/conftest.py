"""One embedded cloud with a tuned, auto-approved, canary-deployed model: two uploads make two
versions; the second one's deployment is a canary while steady traffic runs, so the report has
every section to show. Nothing is reached by a shortcut: uploads, real runs, the approval event."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from mlops.runs import wait_for_execution
from tests.e2e.harness import PENGUINS, deployed_stack, operator_cli

CONFIG = Path(__file__).with_name("report_model.json")
STACK_NAME = json.loads(CONFIG.read_text())["stack_name"]
ENDPOINT = f"{STACK_NAME}-penguins"


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        yield deployed


@pytest.fixture(scope="package")
def mlops(stack, tmp_path_factory):
    return operator_cli(stack, STACK_NAME, tmp_path_factory.mktemp("outputs"))


def _deployment_after(stack, known: set[str]) -> dict:
    pipeline = stack.outputs["DeploymentPipelineArn"]
    deadline = time.monotonic() + 60
    while True:
        started = [e for e in stack.sfn.list_executions(stateMachineArn=pipeline)["executions"]
                   if e["executionArn"] not in known]
        if started:
            return started[0]
        assert time.monotonic() < deadline, "the approval started no deployment"
        time.sleep(0.5)


@pytest.fixture(scope="package")
def runs(stack):
    """(training run of version 2, its canary deployment run), both finished."""
    _, first = stack.run("datasets/penguins/first.csv", PENGUINS.read_bytes())
    assert first.succeeded, (first.error, first.cause)
    deployment = _deployment_after(stack, set())
    assert wait_for_execution(stack.sfn, deployment["executionArn"], timeout=300).succeeded
    _, second = stack.run("datasets/penguins/second.csv", PENGUINS.read_bytes())
    assert second.succeeded, (second.error, second.cause)
    canary = _deployment_after(stack, {deployment["executionArn"]})
    stop = threading.Event()
    traffic = threading.Thread(target=_traffic, args=(stack, stop), daemon=True)
    traffic.start()
    try:
        summary = wait_for_execution(stack.sfn, canary["executionArn"], timeout=300)
    finally:
        stop.set()
        traffic.join(timeout=30)
    assert summary.succeeded, (summary.error, summary.cause)
    return second, summary


def _traffic(stack, stop: threading.Event) -> None:
    runtime = stack.cloud.client("sagemaker-runtime")
    body = PENGUINS.read_text().splitlines()
    rows = "\n".join(line.split(",", 1)[1] for line in body[1:6])  # species is the first column
    while not stop.is_set():
        try:
            runtime.invoke_endpoint(EndpointName=ENDPOINT, ContentType="text/csv", Body=rows)
        except Exception:  # noqa: BLE001 - the report shows what was served; a miss is not this test's concern
            pass
        stop.wait(0.2)
