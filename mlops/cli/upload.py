"""`mlops upload MODEL FILE`: put a CSV under datasets/<model>/ in the stack's data bucket, which
starts the training pipeline (S3 -> EventBridge -> StartPipeline), and name the run it starts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mlops.cli.output import Progress
from mlops.cli.stack_context import CliError, StackContext, stack_options
from mlops.runs import execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name


@click.command("upload")
@click.argument("model")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--key", default=None, help="Object name under datasets/MODEL/ (default: the file's name).")
@click.option("--wait/--no-wait", default=False, show_default=True, help="Follow the run until it ends.")
@click.option("--timeout", type=float, default=3600, show_default=True, help="Seconds to wait with --wait.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@stack_options
def upload(stack: StackContext, model: str, path: Path, key: str | None, wait: bool, timeout: float,
           as_json: bool) -> None:
    """Upload FILE (a CSV) as new training data for MODEL; the upload starts a pipeline run."""
    if not path.is_file():
        raise CliError(f"{path} is not a file: give the path of the CSV to upload")
    stack.settings(model)  # an unknown model is named with the configured ones
    if "DataBucketName" not in stack.outputs:
        raise CliError(f"stack {stack.name} has no DataBucketName output: is it an MLOps stack of this version?")
    name = key or path.name
    if not name.lower().endswith(".csv"):
        click.secho(f"warning: {name} does not end in .csv: the pipeline will refuse it (UnsupportedFile); "
                    "pass --key NAME.csv if the content is CSV", fg="yellow", err=True)
    bucket, object_key = stack.outputs["DataBucketName"], f"datasets/{model}/{name}"
    answer = stack.client("s3").put_object(Bucket=bucket, Key=object_key, Body=path.read_bytes())
    version = answer.get("VersionId")
    if not version:
        raise CliError(f"s3://{bucket} returned no VersionId: the data bucket must be versioned")
    run = upload_execution_name(model, bucket, object_key, version)
    arn = execution_arn(stack.outputs["TrainingPipelineArn"], run)
    facts = {"bucket": bucket, "key": object_key, "version_id": version, "run": run, "execution_arn": arn}
    if not as_json:
        click.echo(f"Uploaded {path} to s3://{bucket}/{object_key} (version {version}).")
        click.echo(f"It starts run {run}; `mlops runs show {run}` follows it.")
    if wait:
        progress = Progress()
        try:
            summary = wait_for_execution(stack.client("stepfunctions"), arn, timeout=timeout,
                                         on_state=None if as_json else lambda state, _: progress.step(f"  -> {state}"))
        except TimeoutError as error:
            raise CliError(f"{error}; it goes on: `mlops runs show {run}`") from None
        facts.update(status=summary.status, error=summary.error, cause=summary.cause,
                     model_package=(summary.output.get("registration") or {}).get("ModelPackageArn"))
        if not as_json:
            click.echo(f"Run {summary.status}" + (f": {summary.error}: {summary.cause}" if not summary.succeeded
                                                  else f": registered {facts['model_package']}"))
    if as_json:
        click.echo(json.dumps(facts, indent=2))
    if wait and facts.get("status") != "SUCCEEDED":
        raise SystemExit(1)
