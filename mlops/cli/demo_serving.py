"""The serving half of `mlops demo`: the registered version's approval starts the deployment
pipeline; follow that run, then send a few rows of the uploaded data to the endpoint and show
the answers next to the labels the data carries."""

from __future__ import annotations

import io
import json
import time

import click
import pandas as pd

from mlops.cli.output import Progress
from mlops.runs import RunSummary, wait_for_execution

SAMPLE_ROWS = 5


def follow_deployment(cloud, outputs: dict, *, timeout: float, progress: Progress) -> RunSummary | None:
    """Wait for the deployment run the approval event starts (the only one on a fresh cloud)."""
    pipeline = outputs.get("DeploymentPipelineArn")
    if not pipeline:
        return None
    sfn = cloud.client("stepfunctions")
    deadline = time.monotonic() + 60
    while not (executions := sfn.list_executions(stateMachineArn=pipeline)["executions"]):
        if time.monotonic() > deadline:
            progress.step("no deployment started (is the model's approval 'manual'? `mlops approve` deploys it)")
            return None
        time.sleep(0.5)
    arn = executions[0]["executionArn"]
    progress.step(f"approval started deployment {arn.rsplit(':', 1)[-1]}")
    summary = wait_for_execution(sfn, arn, timeout=timeout, on_state=lambda name, _: progress.step(f"  -> {name}"))
    progress.step(f"deployment {summary.status}")
    return summary


def show_predictions(cloud, summary: RunSummary, *, data: bytes, target: str) -> None:
    endpoint = summary.input["names"]["endpoint"]
    frame = pd.read_csv(io.BytesIO(data)).dropna().sample(SAMPLE_ROWS, random_state=0)
    labels = frame.pop(target).tolist() if target in frame else [None] * len(frame)
    answer = cloud.client("sagemaker-runtime").invoke_endpoint(
        EndpointName=endpoint, ContentType="application/json", Accept="application/json",
        Body=frame.to_json(orient="records"))
    predictions = json.loads(answer["Body"].read())["predictions"]
    click.secho(f"\nEndpoint {endpoint} is InService (variant {answer['InvokedProductionVariant']})",
                fg="green", bold=True)
    click.echo(f"  {SAMPLE_ROWS} rows of the uploaded data, sent to the endpoint:")
    for label, prediction in zip(labels, predictions):
        click.echo(f"    predicted {prediction!s:<14} labelled {label}")
    click.echo("  Try it yourself against `mlops local up`: mlops invoke <model> --file rows.csv")
