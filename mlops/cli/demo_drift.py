"""`mlops demo --scenario drift`: the monitoring loop on the embedded cloud, step by step.

After the default demo has trained and deployed a version: traffic like the training data ->
the data-quality schedule's check says ok; traffic with two features shifted -> the check
finds drift (features and distances) -> the drift alarm goes into ALARM on the datapoints the
check put -> its state-change event starts a retraining run -> the new version deploys by the
model's strategy (canary by default). Each step is printed; one that does not happen ends the
demo with exit code 1. Schedules run with `cloud.schedules.run_now` (what the schedule does when
it fires); the alarm evaluator's clock is moved one alarm period ahead so the period holding the
check's datapoints is complete now rather than at the end of the period.
"""

from __future__ import annotations

import io
import json
import time
import uuid

import click
import pandas as pd

from mlops.cli.output import Progress, fail
from mlops.runs import RunSummary, wait_for_execution

SHIFT_MM = 8  # added to bill_length_mm (about 1.5 standard deviations of the demo data)
ISLAND_SWAP = {"Biscoe": "Torgersen", "Torgersen": "Biscoe"}
SHIFTED_COPIES = 4  # shifted requests outnumber the unshifted ones in the window, as after a real change
BATCH = 20
WAIT_SECONDS = 60


def check_scenario(model_config) -> None:
    """Refuse, before anything starts, a model the scenario cannot show the loop for."""
    if not model_config.serving.enabled or not model_config.monitoring.enabled:
        fail(f"--scenario drift needs serving and monitoring enabled for model '{model_config.name}'", 2)
    if model_config.approval != "auto" or not model_config.monitoring.retraining.on_alarm:
        fail(f"--scenario drift needs approval 'auto' and monitoring.retraining.on_alarm for model "
             f"'{model_config.name}' (the retrained version deploys itself)", 2)


def run_drift_scenario(cloud, outputs: dict, model_config, *, data: bytes, timeout: float, progress: Progress) -> None:
    name = outputs["SettingsParameterPrefix"].rstrip("/") + "/" + model_config.name
    settings = json.loads(cloud.client("ssm").get_parameter(Name=name)["Parameter"]["Value"])
    names, endpoint = settings["monitoring"]["names"], settings["serving"]["endpoint_name"]
    status = _endpoint_status(cloud, endpoint)
    if status != "InService":
        fail(f"endpoint {endpoint} is {status}: the drift scenario needs the deployed version serving")
    frame = pd.read_csv(io.BytesIO(data)).dropna().drop(columns=[model_config.target], errors="ignore")
    click.echo("")
    _send(cloud, endpoint, frame, "plain", progress)
    ok = _check(cloud, names["schedules"]["data_quality"], progress)
    if ok.get("status") != "ok":
        fail(f"the check of unshifted traffic should be ok, it is {ok.get('status')}: {ok}")
    shifted = frame.assign(bill_length_mm=frame["bill_length_mm"] + SHIFT_MM, island=frame["island"].replace(ISLAND_SWAP))
    progress.step(f"shifting traffic: bill_length_mm + {SHIFT_MM}, Biscoe and Torgersen swapped")
    _send(cloud, endpoint, pd.concat([shifted] * SHIFTED_COPIES, ignore_index=True), "shifted", progress)
    drift = _check(cloud, names["schedules"]["data_quality"], progress)
    if drift.get("status") != "drift":
        fail(f"the check of shifted traffic found no drift: {drift}")
    for feature in drift["drifted"]:
        progress.step(f"  drifted: {feature} (distance {drift['distances'][feature]:.3f})")
    alarm = _alarm(cloud, names["alarms"]["drift"], settings["monitoring"]["period_seconds"], progress)
    retraining = _follow(cloud, outputs["TrainingPipelineArn"], "rt-", "retraining", timeout, progress,
                         started_by=f"alarm {alarm}")
    _done(retraining, "retraining")
    deployment = _follow(cloud, outputs["DeploymentPipelineArn"], "", "deployment", timeout, progress,
                         started_by="the new version's approval", skip=1)
    _done(deployment, "deployment")
    config = cloud.client("sagemaker").describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    click.secho(f"\nDrift detected, alarm {alarm} fired, retraining {retraining.execution_arn.rsplit(':', 1)[-1]} registered a new version and "
                f"endpoint {endpoint} now serves it (endpoint config {config}).", fg="green", bold=True)


def _endpoint_status(cloud, endpoint: str) -> str:
    try:
        return cloud.client("sagemaker").describe_endpoint(EndpointName=endpoint)["EndpointStatus"]
    except cloud.client("sagemaker").exceptions.ClientError:
        return "not deployed"


def _send(cloud, endpoint: str, frame: pd.DataFrame, tag: str, progress: Progress) -> None:
    runtime = cloud.client("sagemaker-runtime")
    for start in range(0, len(frame), BATCH):
        runtime.invoke_endpoint(EndpointName=endpoint, ContentType="application/json", Accept="application/json",
                                Body=frame.iloc[start:start + BATCH].to_json(orient="records"),
                                InferenceId=f"{tag}-{uuid.uuid4().hex[:12]}")
    progress.step(f"sent {len(frame)} {tag} rows to {endpoint}")
    time.sleep(4)  # the endpoint writes its capture files every few seconds


def _check(cloud, schedule: str, progress: Progress) -> dict:
    [found] = cloud.client("scheduler").list_schedules(NamePrefix=schedule)["Schedules"][:1] or [None]
    if found is None:
        fail(f"the stack has no schedule {schedule}")
    progress.step(f"running schedule {schedule} now")
    result = cloud.schedules.run_now(schedule, found["GroupName"])
    if not isinstance(result, dict) or "errorType" in result:
        fail(f"the check failed: {result}")
    progress.step(f"  {result['status'].upper()}: {result.get('records', 0)} records, "
                  f"{result.get('unparseable', 0)} unparseable, report {result.get('report')}")
    return result


def _alarm(cloud, name: str, period: int, progress: Progress) -> str:
    cloud.alarms.clock = lambda: time.time() + period
    progress.step(f"waiting for alarm {name} (the alarm clock runs one period, {period} s, ahead)")
    # Alarms of a period of a minute or more are evaluated once a minute, as CloudWatch does.
    cloudwatch, deadline = cloud.client("cloudwatch"), time.monotonic() + 2 * WAIT_SECONDS
    while (alarm := cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0])["StateValue"] != "ALARM":
        if time.monotonic() > deadline:
            fail(f"alarm {name} is {alarm['StateValue']}, not ALARM: {alarm.get('StateReason')}")
        time.sleep(0.5)
    progress.step(f"  ALARM: {alarm['StateReason']}")
    return name


def _follow(cloud, pipeline: str, prefix: str, what: str, timeout: float, progress: Progress, *, started_by: str,
            skip: int = 0) -> RunSummary:
    sfn, deadline = cloud.client("stepfunctions"), time.monotonic() + WAIT_SECONDS
    while len(runs := [e for e in sfn.list_executions(stateMachineArn=pipeline)["executions"]
                       if e["name"].startswith(prefix)]) <= skip:
        if time.monotonic() > deadline:
            fail(f"{started_by} started no {what} run within {WAIT_SECONDS} s")
        time.sleep(0.5)
    arn = sorted(runs, key=lambda e: e["startDate"])[skip]["executionArn"]
    progress.step(f"{started_by} started {what} {arn.rsplit(':', 1)[-1]}")
    summary = wait_for_execution(sfn, arn, timeout=timeout, on_state=lambda name, _: progress.step(f"  -> {name}"))
    progress.step(f"{what} {summary.status}")
    return summary


def _done(summary: RunSummary, what: str) -> None:
    if not summary.succeeded:
        fail(f"the {what} run {summary.status}: {summary.error}: {summary.cause}")
