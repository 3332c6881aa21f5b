"""One embedded cloud for the monitoring tests, from the real CDK app with its own config
(monitoring_models.json: 5-minute schedules and alarm periods, a model-quality threshold,
manual approval so a retraining registers a version without redeploying the endpoint).

Nothing reaches an outcome by a shortcut: the version comes from an upload and a training run
and is deployed by its approval; checks run from the stack's EventBridge Scheduler schedules
(`cloud.schedules.run_now`, what the schedule does when it fires); alarms are evaluated on the
datapoints the checks put; retraining starts from the alarm's state-change event. The only
thing moved is time: the alarm evaluator's clock runs one alarm period ahead, so the 5-minute
period holding a check's datapoints is complete (and evaluated) as soon as they are put,
instead of up to five minutes later.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest

from mlops.runs import wait_for_execution
from tests.e2e.harness import PENGUINS, Stack, deployed_stack, operator_cli

CONFIG = Path(__file__).with_name("monitoring_models.json")
SETTINGS = json.loads(CONFIG.read_text())
STACK_NAME = SETTINGS["stack_name"]
MODEL = "penguins"
ENDPOINT = f"{STACK_NAME}-{MODEL}"
VARIANT = "AllTraffic"
PERIOD = SETTINGS["models"][0]["monitoring"]["schedule_minutes"] * 60
GROUP = f"{STACK_NAME}-monitoring"
DATA_QUALITY, MODEL_QUALITY = f"{ENDPOINT}-data-quality", f"{ENDPOINT}-model-quality"
DRIFT_ALARM, QUALITY_ALARM = f"{ENDPOINT}-drift", f"{ENDPOINT}-model-quality"
DATA_METRICS, MODEL_METRICS = "aws/sagemaker/Endpoints/data-metrics", "aws/sagemaker/Endpoints/model-metrics"
SHIFTED = ("bill_length_mm", "island")
# Biscoe and Torgersen penguins swap islands: the share of each changes by about a third.
ISLAND_SWAP = {"Biscoe": "Torgersen", "Torgersen": "Biscoe"}
BATCH = 20  # rows per request


def features() -> pd.DataFrame:
    return pd.read_csv(PENGUINS).dropna().reset_index(drop=True)


def shifted(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["bill_length_mm"] = out["bill_length_mm"] + 8
    out["island"] = out["island"].replace(ISLAND_SWAP)
    return out


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        # Each test runs the schedules it needs and reads that run's result; a background
        # firing in between would only repeat a check, but would make the counts racy.
        deployed.cloud.schedules.background = False
        yield deployed


@pytest.fixture(scope="package")
def mlops(stack, tmp_path_factory):
    """mlops(*args) runs the CLI as an operator would, against the embedded cloud (--local --endpoint-url)."""
    return operator_cli(stack, STACK_NAME, tmp_path_factory.mktemp("outputs"))


@pytest.fixture(scope="package")
def monitoring(stack, mlops) -> "Monitoring":
    return Monitoring(stack, mlops)


@pytest.fixture(scope="package")
def deployed(monitoring):
    """Version 1, trained from an upload and deployed by `mlops approve` (SageMaker's approval event)."""
    summary, package = monitoring.train_and_deploy()
    assert summary.succeeded, (summary.error, summary.cause)
    monitoring.stack.cloud.alarms.clock = lambda: time.time() + PERIOD
    return package


@pytest.fixture(scope="package")
def alarm_events(stack):
    """An SQS queue behind a rule for the drift alarm going into ALARM, as StartPipeline's rule matches it."""
    sqs, events = stack.cloud.client("sqs"), stack.cloud.client("events")
    url = sqs.create_queue(QueueName="drift-alarms")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="drift-alarms", EventPattern=json.dumps({
        "source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
        "detail": {"alarmName": [DRIFT_ALARM], "state": {"value": ["ALARM"]}}}))
    events.put_targets(Rule="drift-alarms", Targets=[{"Id": "queue", "Arn": arn}])
    return url


@pytest.fixture(scope="package")
def unshifted(monitoring, deployed, alarm_events):
    """Every penguin once, as requests with an InferenceId, then the data-quality schedule's run."""
    ids = monitoring.send(features(), "plain")
    return ids, monitoring.run_schedule(DATA_QUALITY)


@pytest.fixture(scope="package")
def drifted(monitoring, unshifted):
    """Four times every penguin, shifted, then the data-quality schedule's run; the window also
    holds the unshifted requests (a fifth of it), as a real window would."""
    monitoring.send(pd.concat([shifted(features())] * 4, ignore_index=True), "shifted")
    return monitoring.run_schedule(DATA_QUALITY)


class Monitoring:
    """A user's view: traffic, the schedules' results, alarms, metrics and runs."""

    lookback_seconds = 3600  # how far back `maximum` looks for datapoints

    def __init__(self, stack: Stack, mlops, *, model: str = MODEL, endpoint: str = ENDPOINT) -> None:
        self.stack, self.mlops = stack, mlops
        self.model, self.endpoint = model, endpoint
        self.cloud = stack.cloud
        self.runtime = stack.cloud.client("sagemaker-runtime")
        self.cloudwatch = stack.cloud.client("cloudwatch")

    def train_and_deploy(self):
        _, summary = self.stack.run(f"datasets/{self.model}/penguins.csv", PENGUINS.read_bytes())
        assert summary.succeeded, (summary.error, summary.cause)
        package = summary.output["registration"]["ModelPackageArn"]
        result = self.mlops("approve", self.model, "--version", package.rsplit("/", 1)[-1])
        assert result.exit_code == 0, result.output
        pipeline = self.stack.outputs["DeploymentPipelineArn"]
        deadline = time.monotonic() + 60
        while not (runs := self.stack.sfn.list_executions(stateMachineArn=pipeline)["executions"]):
            assert time.monotonic() < deadline, "the approval started no deployment"
            time.sleep(0.5)
        return wait_for_execution(self.stack.sfn, runs[0]["executionArn"], timeout=300), package

    def send(self, frame: pd.DataFrame, tag: str) -> list[tuple[str, list[str]]]:
        """Send `frame` (target dropped) in requests of BATCH rows; (InferenceId, labels) of each.
        Returns once the last request is in a capture file."""
        sent = []
        for start in range(0, len(frame), BATCH):
            rows = frame.iloc[start:start + BATCH]
            inference_id = f"{tag}-{start // BATCH}-{uuid.uuid4().hex[:8]}"
            body = rows.drop(columns=["species"]).to_json(orient="records")
            self.runtime.invoke_endpoint(EndpointName=self.endpoint, ContentType="application/json",
                                         Accept="application/json", Body=body, InferenceId=inference_id)
            sent.append((inference_id, rows["species"].tolist()))
        self.wait_captured(sent[-1][0])
        return sent

    def capture_keys(self) -> list[str]:
        pages = self.stack.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.stack.outputs["ArtifactsBucketName"], Prefix=f"data-capture/{self.endpoint}/{VARIANT}/")
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def wait_captured(self, inference_id: str, timeout: float = 30) -> None:
        bucket, deadline = self.stack.outputs["ArtifactsBucketName"], time.monotonic() + timeout
        while time.monotonic() < deadline:
            for key in self.capture_keys():
                if inference_id.encode() in self.stack.s3.get_object(Bucket=bucket, Key=key)["Body"].read():
                    return
            time.sleep(1)
        raise AssertionError(f"request {inference_id} was not captured within {timeout} s")

    def run_schedule(self, name: str) -> dict:
        """Fire the stack's schedule `name` now; what its target (MonitorEndpoint) answered."""
        result = self.cloud.schedules.run_now(name, GROUP)
        assert isinstance(result, dict) and "errorType" not in result, result
        return result

    def alarm(self, name: str) -> dict:
        [alarm] = self.cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
        return alarm

    def wait_alarm(self, name: str, state: str, timeout: float = 30) -> dict:
        """The alarm once the evaluator has put it in `state`. Alarms of a period of a minute or
        more are evaluated once a minute, as CloudWatch does; `evaluate_now` is that evaluation,
        made at once instead of up to a minute later."""
        deadline = time.monotonic() + timeout
        self.cloud.alarms.evaluate_now()
        while (alarm := self.alarm(name))["StateValue"] != state:
            assert time.monotonic() < deadline, f"{name} is {alarm['StateValue']}: {alarm.get('StateReason')}"
            time.sleep(0.5)
        return alarm

    def maximum(self, namespace: str, metric: str, schedule: str) -> float | None:
        """The largest datapoint of `metric` put in the last `lookback_seconds` (None: none put)."""
        now = time.time()
        points = self.cloudwatch.get_metric_statistics(
            Namespace=namespace, MetricName=metric, StartTime=now - self.lookback_seconds, EndTime=now + 60, Period=3600,
            Dimensions=[{"Name": "Endpoint", "Value": self.endpoint}, {"Name": "MonitoringSchedule", "Value": schedule}],
            Statistics=["Maximum", "SampleCount"])["Datapoints"]
        return max(p["Maximum"] for p in points) if points else None

    def retraining_runs(self) -> list[dict]:
        return [e for e in self.stack.executions() if e["name"].startswith(f"rt-{self.model}-")]
