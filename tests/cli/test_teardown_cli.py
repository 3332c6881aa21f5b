"""`mlops teardown` after real deployments in the embedded cloud: two uploads make two versions,
the first deployed by CreateEndpoint, the second by a blue/green update. Teardown then deletes
the endpoint, both configs and models, new-fleet alarms a deployment failed to clean up, the
package versions, the Experiments trials and experiment; it asks first unless --yes, leaves
CDK's own resources to `cdk destroy`, and a second teardown finds nothing left."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from mlops.runs import wait_for_execution
from mlops_core.naming import deployment_resource_prefix, endpoint_alarm_name, new_fleet_alarm_names
from tests.e2e.harness import PENGUINS, deployed_stack, operator_cli

CONFIG = Path(__file__).with_name("teardown_model.json")
STACK_NAME = json.loads(CONFIG.read_text())["stack_name"]
ENDPOINT = f"{STACK_NAME}-penguins"
GROUP = f"{STACK_NAME}-penguins"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with deployed_stack(CONFIG, tmp_path_factory) as deployed:
        yield deployed


@pytest.fixture(scope="module")
def mlops(stack, tmp_path_factory):
    return operator_cli(stack, STACK_NAME, tmp_path_factory.mktemp("outputs"))


def _deploy_new_version(stack, mlops, name: str) -> None:
    """`mlops upload --wait` a version (approval: auto) and wait for the deployment it starts."""
    pipeline = stack.outputs["DeploymentPipelineArn"]
    before = {e["executionArn"] for e in stack.sfn.list_executions(stateMachineArn=pipeline)["executions"]}
    result = mlops("upload", "penguins", str(PENGUINS), "--key", name, "--wait", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["status"] == "SUCCEEDED"
    deadline = time.monotonic() + 60
    while not (started := [e for e in stack.sfn.list_executions(stateMachineArn=pipeline)["executions"]
                           if e["executionArn"] not in before]):
        assert time.monotonic() < deadline, "the approval started no deployment"
        time.sleep(0.5)
    summary = wait_for_execution(stack.sfn, started[0]["executionArn"], timeout=300)
    assert summary.succeeded, (summary.error, summary.cause)


def _invoke_and_roll_back_with_json(stack, mlops) -> None:
    """--json of invoke and rollback, for scripts, on the live endpoint before it goes."""
    row = PENGUINS.read_text().splitlines()[1].split(",", 1)[1]  # species is the first column
    invoked = mlops("invoke", "penguins", "--body", row, "--json")
    assert invoked.exit_code == 0, invoked.output
    answer = json.loads(invoked.stdout)
    assert answer["endpoint"] == ENDPOINT and answer["variant"] == "AllTraffic"
    assert answer["content_type"] == "application/json" and isinstance(answer["answer"], dict)
    serving = stack.sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointConfigName"]
    rolled = mlops("rollback", "penguins", "--to-version", "1", "--json")
    assert rolled.exit_code == 0, rolled.output
    facts = json.loads(rolled.stdout)
    assert facts["endpoint"] == ENDPOINT and facts["version"] == 1 and facts["from_config"] == serving
    assert facts["status"] == "InService"
    assert stack.sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointConfigName"] == facts["endpoint_config"]


def _alarms_of_a_failed_clean_up(stack) -> list[str]:
    """What a deployment leaves when its DeleteNewFleetAlarms fails (the run notes it and goes
    on): the new fleet's two alarms, as that deployment made them."""
    config = stack.sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointConfigName"]
    cloudwatch = stack.cloud.client("cloudwatch")
    names = list(new_fleet_alarm_names(ENDPOINT, config))
    for name, metric in zip(names, ("ModelLatency", "Invocation5XXErrors")):
        cloudwatch.put_metric_alarm(
            AlarmName=name, Namespace="AWS/SageMaker", MetricName=metric, Statistic="Maximum", Period=10,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
            Dimensions=[{"Name": "EndpointName", "Value": ENDPOINT}, {"Name": "EndpointConfigName", "Value": config},
                        {"Name": "VariantName", "Value": "AllTraffic"}])
    return names


def _left(stack) -> dict[str, list[str]]:
    """What of the pipelines' making still exists, asked of the APIs directly."""
    sagemaker, prefix = stack.sagemaker, deployment_resource_prefix("penguins")
    try:
        endpoints = [sagemaker.describe_endpoint(EndpointName=ENDPOINT)["EndpointName"]]
    except ClientError:
        endpoints = []
    alarms = stack.cloud.client("cloudwatch").describe_alarms(AlarmNamePrefix=f"{ENDPOINT}-{prefix}")["MetricAlarms"]
    experiment = [e["ExperimentName"] for e in sagemaker.list_experiments()["ExperimentSummaries"]
                  if e["ExperimentName"] == GROUP]
    return {
        "endpoint": endpoints,
        "endpoint-config": [c["EndpointConfigName"] for c in
                            sagemaker.list_endpoint_configs(NameContains=prefix)["EndpointConfigs"]],
        "model": [m["ModelName"] for m in sagemaker.list_models(NameContains=prefix)["Models"]],
        "alarm": [a["AlarmName"] for a in alarms],
        "model-package": [p["ModelPackageArn"] for p in stack.model_packages(GROUP)],
        "trial": [t["TrialName"] for t in sagemaker.list_trials(ExperimentName=GROUP)["TrialSummaries"]]
        if experiment else [],
        "experiment": experiment,
    }


def test_before_any_run_there_is_nothing_to_delete(mlops):
    result = mlops("teardown", "--yes")
    assert result.exit_code == 0, result.output
    assert f"Nothing to delete for penguins in stack {STACK_NAME}." in result.output


def test_teardown_deletes_what_two_deployments_left_and_asks_first(stack, mlops):
    _deploy_new_version(stack, mlops, "first.csv")
    _deploy_new_version(stack, mlops, "second.csv")
    assert _left(stack)["alarm"] == []  # each deployment deletes its new fleet's alarms when it ends
    _invoke_and_roll_back_with_json(stack, mlops)
    leftovers = _alarms_of_a_failed_clean_up(stack)
    before = _left(stack)
    assert len(before["endpoint"]) == 1 and len(before["endpoint-config"]) == 2 and len(before["model"]) == 2
    assert sorted(before["alarm"]) == sorted(leftovers)
    assert len(before["model-package"]) == 2 and len(before["trial"]) == 2 and before["experiment"] == [GROUP]

    declined = mlops("teardown", input="n\n")
    assert declined.exit_code == 1 and "Nothing deleted." in declined.output
    assert f"endpoint         {ENDPOINT}  (penguins)" in declined.output
    assert _left(stack) == before

    result = mlops("teardown", "--yes", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    expected = {(kind, name) for kind, names in before.items() for name in names}
    assert {(d["kind"], d["name"]) for d in report["deleted"]} == expected
    assert report["failed"] == []
    assert report["deleted"][0]["kind"] == "endpoint"  # the billing thing goes first
    assert {kind: names for kind, names in _left(stack).items() if names} == {}
    # CDK's own endpoint-wide alarm is the stack's, left for `cdk destroy`.
    cdk_alarm = endpoint_alarm_name(ENDPOINT)
    assert stack.cloud.client("cloudwatch").describe_alarms(AlarmNames=[cdk_alarm])["MetricAlarms"]

    again = mlops("teardown", "--yes", "--json")  # nothing is left
    assert again.exit_code == 0 and json.loads(again.stdout)["deleted"] == []

    status = mlops("endpoint", "status", "penguins")
    assert status.exit_code == 3 and "Traceback" not in status.output


def test_an_unknown_model_is_named_with_the_configured_ones(mlops):
    result = mlops("teardown", "--model", "otters", "--yes")
    assert result.exit_code == 1
    assert f"model 'otters' is not configured in stack {STACK_NAME}" in result.output and "penguins" in result.output
