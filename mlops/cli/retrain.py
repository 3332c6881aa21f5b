"""`mlops retrain MODEL`: start a run on the model's latest accepted data, without an upload.

Sends the retraining request event (mlops_core.retraining) on the default event bus, as a
monitoring alarm would; the StartPipeline function names the run `rt-<model>-<hash of the
episode>`, so sending the same episode again starts nothing new.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone

import click
from botocore.exceptions import ClientError

from mlops.cli.stack_context import CliError, StackContext, stack_options
from mlops.runs import execution_arn, wait_for_execution
from mlops_core.execution_input import accepted_data_key
from mlops_core.naming import retraining_execution_name
from mlops_core.retraining import DETAIL_TYPE, SOURCE

APPEAR_SECONDS = 60.0


@click.command("retrain")
@click.argument("model")
@click.option("--episode", default=None, help="Names the request; the same episode starts at most one run "
              "(default: a new one).")
@click.option("--reason", default="requested with mlops retrain", show_default=True, help="Why, for the record.")
@click.option("--wait/--no-wait", default=False, show_default=True, help="Wait for the run to finish.")
@click.option("--timeout", type=float, default=1800, show_default=True, help="Seconds to wait with --wait.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@stack_options
def retrain(stack: StackContext, model: str, episode: str | None, reason: str, wait: bool, timeout: float,
            as_json: bool) -> None:
    """Retrain MODEL on its latest accepted data version."""
    stack.settings(model)
    data = _accepted_data(stack, model)
    episode = episode or f"manual-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    arn = execution_arn(stack.outputs["TrainingPipelineArn"], retraining_execution_name(model, episode))
    run = arn.rsplit(":", 1)[-1]
    existed = _status(stack, arn)
    _send(stack, model, episode, reason)
    facts = {"model": model, "episode": episode, "data": data, "run": run, "execution_arn": arn,
             "started": not existed, "status": existed}
    say = (lambda _: None) if as_json else click.echo
    say(f"Retraining requested for '{model}' on s3://{data['bucket']}/{data['key']} "
        f"(version {data['version_id']}), episode '{episode}'.")
    if existed:
        say(f"Episode '{episode}' already started run {run} ({existed}): this request starts nothing new.")
    else:
        facts["status"] = _appeared(stack, arn)
        say(f"Run {run} started ({arn}).")
        if wait:
            summary = wait_for_execution(stack.client("stepfunctions"), arn, timeout=timeout)
            facts.update(status=summary.status, error=summary.error, cause=summary.cause)
            say(f"Run {summary.status}" + (f": {summary.error}: {summary.cause}" if not summary.succeeded else ""))
        else:
            say(f"`mlops runs {model}` shows its progress.")
    if as_json:
        click.echo(json.dumps(facts, indent=2, default=str))
    if wait and facts["started"] and facts["status"] != "SUCCEEDED":
        raise SystemExit(1)


def _accepted_data(stack: StackContext, model: str) -> dict:
    bucket = stack.outputs["ArtifactsBucketName"]
    try:
        record = stack.client("s3").get_object(Bucket=bucket, Key=accepted_data_key(model))["Body"].read()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
            raise CliError(f"'{model}' has no accepted data version yet (s3://{bucket}/{accepted_data_key(model)}): "
                           f"upload a CSV under datasets/{model}/ first") from None
        raise
    return json.loads(record)["data"]


def _send(stack: StackContext, model: str, episode: str, reason: str) -> None:
    detail = {"model": model, "episode": episode, "reason": reason}
    response = stack.client("events").put_events(Entries=[{
        "Source": SOURCE, "DetailType": DETAIL_TYPE, "Detail": json.dumps(detail), "EventBusName": "default"}])
    if response.get("FailedEntryCount"):
        entry = response["Entries"][0]
        raise CliError(f"EventBridge refused the request: {entry.get('ErrorCode')}: {entry.get('ErrorMessage')}")


def _status(stack: StackContext, arn: str) -> str | None:
    try:
        return stack.client("stepfunctions").describe_execution(executionArn=arn)["status"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ExecutionDoesNotExist":
            return None
        raise


def _appeared(stack: StackContext, arn: str) -> str:
    deadline = time.monotonic() + APPEAR_SECONDS
    while time.monotonic() < deadline:
        status = _status(stack, arn)
        if status:
            return status
        time.sleep(0.5)
    raise CliError(f"the request was sent but no run {arn.rsplit(':', 1)[-1]} started within {APPEAR_SECONDS:.0f} s: "
                   "see the StartPipeline function's log (a request for an unknown model or one without "
                   "accepted data is ignored there)")
