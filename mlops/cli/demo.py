"""`mlops demo`: the main job end to end on the embedded cloud, no AWS account needed.

Synthesizes the stack, provisions it locally, uploads the demo dataset to the data bucket
(which starts the training pipeline through S3 -> EventBridge -> StartPipeline), waits while
showing progress, and prints what happened. A version registered as Approved then starts the
deployment pipeline: the demo follows it and sends a few rows to the new endpoint.
"""

from __future__ import annotations

from pathlib import Path

import click

from mlops.cli.demo_drift import check_scenario, run_drift_scenario
from mlops.cli.demo_serving import follow_deployment, show_predictions
from mlops.cli.output import Progress, fail
from mlops.cli.report_text import print_failure, print_success
from mlops.cli.stack_setup import load_or_fail, start_stack
from mlops.runs import execution_arn, wait_for_execution
from mlops_core.naming import upload_execution_name

REPO_ROOT = Path(__file__).resolve().parents[2]


@click.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              default=REPO_ROOT / "config" / "dev.json", show_default=True, help="Stage config file.")
@click.option("--data", "data_path", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              default=REPO_ROOT / "data" / "penguins.csv", show_default=True, help="CSV file to upload.")
@click.option("--model", "model_name", default=None, help="Model to train (default: the config's first).")
@click.option("--timeout", type=float, default=600, show_default=True, help="Seconds to wait for the run.")
@click.option("--poll-seconds", type=int, default=1, show_default=True,
              help="Seconds between SageMaker status polls inside the pipeline.")
@click.option("--scenario", type=click.Choice(["default", "drift"]), default="default", show_default=True,
              help="drift: then shift the traffic and show drift -> alarm -> retraining -> canary of the new version.")
def demo(config_path: Path, data_path: Path, model_name: str | None, timeout: float, poll_seconds: int,
         scenario: str) -> None:
    """Run the training pipeline end to end on the embedded cloud and print what happened."""
    config = load_or_fail(config_path)
    model = model_name or config.models[0].name
    if model not in {m.name for m in config.models}:
        fail(f"model {model!r} is not in {config_path}; configured: {', '.join(m.name for m in config.models)}", 2)
    if scenario == "drift":
        check_scenario(config.model(model))
    progress = Progress()
    cloud, outputs = start_stack(config_path, config, port=0, poll_seconds=poll_seconds, progress=progress)
    try:
        summary = _run(cloud, outputs, model, data_path, timeout, progress)
        if summary.succeeded:
            print_success(summary)
            _serve(cloud, outputs, config.model(model), data_path, timeout, progress)
            if scenario == "drift":
                run_drift_scenario(cloud, outputs, config.model(model), data=data_path.read_bytes(),
                                   timeout=timeout, progress=progress)
    finally:
        cloud.stop()
    if not summary.succeeded:
        print_failure(summary)
        raise SystemExit(1)


def _serve(cloud, outputs: dict, model_config, data_path: Path, timeout: float, progress: Progress) -> None:
    """Registered with approval 'auto' and serving enabled: the approval deploys it; show it answering."""
    if not model_config.serving.enabled or model_config.approval != "auto":
        return
    click.echo("")
    deployment = follow_deployment(cloud, outputs, timeout=timeout, progress=progress)
    if deployment is None:
        return
    if not deployment.succeeded:
        print_failure(deployment)
        raise SystemExit(1)
    show_predictions(cloud, deployment, data=data_path.read_bytes(), target=model_config.target)


def _run(cloud, outputs: dict, model: str, data_path: Path, timeout: float, progress: Progress):
    bucket = outputs["DataBucketName"]
    key = f"datasets/{model}/{data_path.name}"
    s3 = cloud.client("s3")
    version_id = s3.put_object(Bucket=bucket, Key=key, Body=data_path.read_bytes())["VersionId"]
    progress.step(f"uploaded {data_path.name} to s3://{bucket}/{key} (version {version_id})")
    arn = execution_arn(outputs["TrainingPipelineArn"], upload_execution_name(model, bucket, key, version_id))
    progress.step(f"waiting for execution {arn.rsplit(':', 1)[-1]}")
    try:
        summary = wait_for_execution(cloud.client("stepfunctions"), arn, timeout=timeout,
                                     on_state=lambda name, _: progress.step(f"  -> {name}"))
    except TimeoutError as exc:
        fail(str(exc))
    progress.step(f"execution {summary.status}")
    summary.evaluation = _evaluation_report(s3, summary)
    return summary


def _evaluation_report(s3, summary) -> dict | None:
    import json

    uri = (summary.input.get("paths") or {}).get("evaluation_report")
    if not summary.succeeded or not uri:
        return None
    bucket, _, key = uri[len("s3://"):].partition("/")
    try:
        return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except Exception:  # the report is informative; its absence is said, not fatal
        return None
