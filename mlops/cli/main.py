"""The `mlops` operator CLI."""

from __future__ import annotations

import click

from mlops.cli.demo import demo
from mlops.cli.endpoint import endpoint, invoke, rollback
from mlops.cli.local import local
from mlops.cli.models import approve, models, reject
from mlops.cli.retrain import retrain
from mlops.cli.runs import runs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Operate the serverless MLOps stack, on AWS or on the embedded cloud."""


cli.add_command(demo)
cli.add_command(local)
for command in (runs, models, approve, reject, retrain, endpoint, invoke, rollback):
    cli.add_command(command)

if __name__ == "__main__":
    cli()
