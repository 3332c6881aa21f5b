"""The `mlops` operator CLI."""

from __future__ import annotations

import click

from mlops.cli.demo import demo
from mlops.cli.endpoint import endpoint, invoke, rollback
from mlops.cli.local import local
from mlops.cli.models import approve, models, reject
from mlops.cli.report import report
from mlops.cli.monitor import monitor
from mlops.cli.retrain import retrain
from mlops.cli.runs import runs
from mlops.cli.teardown import teardown
from mlops.cli.upload import upload


EXIT_CODES = """\b
Exit codes:
  0  done
  1  an error, with advice on what to do (or a run that did not succeed with --wait)
  2  bad usage or config; for invoke: the model answered with an error
  3  nothing deployed for the model (endpoint status, invoke, rollback)
Commands that print a result take --json for scripts."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
def cli() -> None:
    """Operate the serverless MLOps stack, on AWS or on the embedded cloud."""


cli.add_command(demo)
cli.add_command(local)
cli.add_command(report)
cli.add_command(upload)
cli.add_command(teardown)
for command in (runs, models, approve, reject, retrain, endpoint, invoke, rollback, monitor):
    cli.add_command(command)

if __name__ == "__main__":
    cli()
