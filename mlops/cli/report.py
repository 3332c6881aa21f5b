"""`mlops report EXECUTION`: one self-contained HTML page about a run (mlops/reporting)."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path

import click

from mlops.cli.stack_context import CliError, StackContext, stack_options
from mlops.reporting import ReportError, collect_report, render_page


@click.command("report")
@click.argument("execution")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="HTML file to write (default: <execution name>.html).")
@click.option("--open", "open_it", is_flag=True, help="Open the page in the default browser.")
@click.option("--metric-period", type=click.IntRange(1, 86400), default=60, show_default=True,
              help="Seconds per point of CloudWatch series (SageMaker's endpoint metrics have 60 s resolution on AWS).")
@click.option("--json", "as_json", is_flag=True, help="Print the report's facts as JSON instead of writing HTML.")
@stack_options
def report(stack: StackContext, execution: str, out: Path | None, open_it: bool, metric_period: int,
           as_json: bool) -> None:
    """Write an HTML report of a training or deployment run (EXECUTION: its name or ARN)."""
    try:
        facts = collect_report(stack.client, stack.outputs, execution, metric_period=metric_period)
    except ReportError as error:
        raise CliError(str(error)) from None
    if as_json:
        click.echo(json.dumps(facts, indent=2, default=str))
        return
    path = out or Path(f"{facts['name']}.html")
    path.write_text(render_page(facts), encoding="utf-8")
    click.echo(f"Report of {facts['kind']} run {facts['name']} ({facts['status']}) written to {path}")
    if open_it:
        webbrowser.open(path.resolve().as_uri())
