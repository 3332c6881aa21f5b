"""`mlops local up`: the embedded cloud as a foreground server with the stack provisioned."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import click

from mlops.cli.output import Progress
from mlops.cli.stack_context import LOCAL_OUTPUTS
from mlops.cli.stack_setup import load_or_fail, start_stack


@click.group()
def local() -> None:
    """Run the stack on the embedded cloud (no AWS account needed)."""


@local.command("up")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default="config/dev.json",
              show_default=True, help="Stage config file.")
@click.option("--port", type=int, default=4566, show_default=True, help="Port on 127.0.0.1 to serve on.")
@click.option("--outputs-file", type=click.Path(path_type=Path, dir_okay=False), default=Path(LOCAL_OUTPUTS),
              show_default=True,
              help="Write stack outputs here, in the shape `cdk deploy --outputs-file` writes (`mlops ... --local` "
                   "reads them from the default).")
@click.option("--poll-seconds", type=int, default=2, show_default=True,
              help="Seconds between SageMaker status polls in the pipelines (AWS default is the config's).")
def up(config_path: Path, port: int, outputs_file: Path | None, poll_seconds: int) -> None:
    """Start the embedded cloud on 127.0.0.1:PORT with the stack provisioned; Ctrl-C stops it."""
    config = load_or_fail(config_path)
    progress = Progress()
    cloud, outputs = start_stack(config_path, config, port=port, poll_seconds=poll_seconds, progress=progress)
    payload = {config.stack_name: outputs}
    if outputs_file:
        outputs_file.write_text(json.dumps(payload, indent=2) + "\n")
        progress.step(f"stack outputs written to {outputs_file}")
    click.echo(json.dumps(payload, indent=2))
    click.echo(f"\nexport AWS_ENDPOINT_URL={cloud.endpoint_url} AWS_ACCESS_KEY_ID=local "
               f"AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION={config.region}")
    click.echo("Serving; press Ctrl-C to stop.")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    progress.step("stopping")
    cloud.stop()
