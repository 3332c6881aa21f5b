"""`mlops runs show EXECUTION`: one run in detail: its states with durations and outcomes, the
error and cause, and the run's output (registered version, data version)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import click

from mlops.cli.stack_context import CliError, StackContext, stack_options
from mlops.reporting.collect import ReportError, find_execution
from mlops.reporting.timeline import format_seconds, history_events, state_spans


@click.command("show")
@click.argument("execution")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@stack_options
def show(stack: StackContext, execution: str, as_json: bool) -> None:
    """Show one run (EXECUTION: its name or ARN, training or deployment) state by state."""
    sfn = stack.client("stepfunctions")
    try:
        description, kind = find_execution(sfn, stack.outputs, execution)
    except ReportError as error:
        raise CliError(str(error)) from None
    end = description.get("stopDate") or datetime.now(timezone.utc)
    spans = state_spans(history_events(sfn, description["executionArn"]), end)
    output = json.loads(description["output"]) if description.get("output") else None
    run_input = json.loads(description.get("input") or "{}")
    facts = {"name": description["name"], "arn": description["executionArn"], "kind": kind,
             "status": description["status"], "started": description["startDate"].isoformat(),
             "stopped": description["stopDate"].isoformat() if description.get("stopDate") else None,
             "seconds": (end - description["startDate"]).total_seconds(), "error": description.get("error"),
             "cause": description.get("cause"), "states": [s.to_dict() for s in spans],
             "data": run_input.get("data"), "model_package": _package(output, run_input)}
    if as_json:
        click.echo(json.dumps(facts, indent=2, default=str))
        return
    click.echo(f"{kind.title()} run {facts['name']}: {facts['status']} after {format_seconds(facts['seconds'])}")
    click.echo(f"  execution: {facts['arn']}")
    if facts["data"]:
        click.echo(f"  data:      s3://{facts['data'].get('bucket')}/{facts['data'].get('key')} "
                   f"(version {facts['data'].get('version_id')})")
    if facts["model_package"]:
        click.echo(f"  package:   {facts['model_package']}")
    width = max((len(s.name) for s in spans), default=5)
    click.echo(f"\n  {'STATE'.ljust(width)}  {'TIME':>12}  VISITS  OUTCOME")
    for span in spans:
        click.echo(f"  {span.name.ljust(width)}  {format_seconds(span.seconds):>12}  {span.visits:>6}  {span.outcome}")
    if facts["error"]:
        click.echo(f"\n  error: {facts['error']}\n  cause: {facts['cause']}")
    click.echo(f"\n`mlops report {facts['name']}` writes the full report as an HTML page.")


def _package(output: dict | None, run_input: dict) -> str | None:
    return ((output or {}).get("registration") or {}).get("ModelPackageArn") or run_input.get("model_package_arn")
