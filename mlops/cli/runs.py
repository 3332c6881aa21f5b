"""`mlops runs MODEL`: the model's pipeline runs with status, data version and metrics."""

from __future__ import annotations

import json

import click

from mlops.cli.stack_context import StackContext, stack_options
from mlops.cli.runs_show import show
from mlops.run_history import RunRecord, list_runs

COLUMNS = ("RUN", "STATUS", "STARTED (UTC)", "DATA VERSION", "VALIDATION", "TEST (GATE)", "RESULT")


class _RunsGroup(click.Group):
    """`mlops runs MODEL` lists; `mlops runs show EXECUTION` details one run. A model named like
    a subcommand (`show`, `list`) is listed with `mlops runs list MODEL`."""

    def parse_args(self, ctx, args):
        if args and args[0] == "list" and len(args) > 1 and not args[1].startswith("-"):
            ctx.meta["runs_model"] = args[1]
            args = ["list", *args[2:]]
        elif args and args[0] not in self.commands and not args[0].startswith("-"):
            ctx.meta["runs_model"] = args[0]
            args = ["list", *args[1:]]
        return super().parse_args(ctx, args)


@click.group("runs", cls=_RunsGroup, invoke_without_command=False)
def runs() -> None:
    """MODEL's training runs (`mlops runs MODEL`, or `mlops runs list MODEL` for a model named `show`),
    or one run in detail (`mlops runs show EXECUTION`)."""


@runs.command("list", hidden=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Newest runs to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@stack_options
def list_command(stack: StackContext, limit: int, as_json: bool) -> None:
    """List MODEL's training runs, newest first: status, data version, metrics, gate, outcome."""
    model = click.get_current_context().meta.get("runs_model")
    if model is None:
        raise click.UsageError("name the model: mlops runs MODEL")
    stack.settings(model)  # an unknown model is named as such, not listed as "no runs"
    records = list_runs(stack.client("stepfunctions"), stack.client("sagemaker"), stack.client("s3"),
                        state_machine_arn=stack.outputs["TrainingPipelineArn"], model=model, limit=limit)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in records], indent=2))
        return
    if not records:
        click.echo(f"No runs of '{model}' yet: upload a CSV under datasets/{model}/ in the data bucket.")
        return
    rows = [_row(r) for r in records]
    widths = [max(len(str(r[i])) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    for row in [COLUMNS, *rows]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def _row(record: RunRecord) -> tuple:
    validation = ", ".join(f"{name.removeprefix('validation:')} {value:.4f}"
                           for name, value in record.training_metrics.items() if name.startswith("validation:"))
    gate = record.gate
    test = "-"
    if gate:
        score = gate["candidate"]["score"]
        test = f"{gate['metric']} {score:.4f}" if score is not None else f"{gate['metric']} undefined"
        test += " passed" if gate["passed"] else " rejected"
    if record.model_package:
        result = f"registered v{record.model_package.rsplit('/', 1)[-1]}"
    else:
        result = record.error or ("running" if record.status == "RUNNING" else record.status.lower())
    return (record.run_id, record.status, record.started, record.data_version or "-", validation or "-", test, result)


runs.add_command(show)
