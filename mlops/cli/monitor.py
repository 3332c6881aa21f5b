"""`mlops monitor run MODEL`: run a model's drift or model-quality check now, on AWS or the
embedded cloud alike, by invoking the stack's MonitorEndpoint Lambda synchronously (output
`MonitorFunctionName`) with the monitor's request (docs/contracts.md, "Monitoring").

Exit codes: 0 checked, no drift or degradation; 4 drift or degraded model quality; 5 no data in
the window (nothing was judged); 3 nothing deployed for the model; 1 any other error, as advice.

With `monitoring.engine: "model-monitor"` the data-quality check is SageMaker's schedule, which
cannot be run on demand: the command shows the schedule and its last execution instead
(model_monitor_view.py; 4 when it completed with violations, 5 before its first, 1 failed).
"""

from __future__ import annotations

import json

import click
from botocore.config import Config

from mlops.cli.model_monitor_view import model_monitor_view, print_view
from mlops.cli.output import fail
from mlops.cli.stack_context import CliError, StackContext, stack_options
from mlops.endpoints import NotDeployed, endpoint_name

FINDING_EXIT, NO_DATA_EXIT, NOT_DEPLOYED_EXIT = 4, 5, 3
MODEL_MONITOR = "model-monitor"
VIEW_EXIT = {"violations": FINDING_EXIT, "no-data": NO_DATA_EXIT, "failed": 1}
# A check may read a large capture window; Lambda's own limit is 15 minutes.
LAMBDA_CONFIG = Config(read_timeout=910, connect_timeout=10, retries={"max_attempts": 0})
# Error names the monitor raises (mlops_core/monitoring/errors.py), with what the operator can do.
ADVICE = {
    "EndpointNotFound": (NOT_DEPLOYED_EXIT, ""),
    "MissingBaseline": (1, " Register a version with DriftCheckBaselines (the training pipeline does) and deploy it."),
    "InvalidRequest": (1, ""),
}


@click.group("monitor")
def monitor() -> None:
    """A model's monitoring: drift of captured requests and model quality against ground truth."""


@monitor.command("run")
@click.argument("model")
@click.option("--check", type=click.Choice(["data-quality", "model-quality"]), default="data-quality",
              show_default=True, help="Drift of the inputs, or quality of the predictions against ground truth.")
@click.option("--window-minutes", type=click.IntRange(5, 10080), default=None,
              help="Captured requests of the last N minutes (default: the model's monitoring.window_minutes).")
@click.option("--json", "as_json", is_flag=True, help="Print the monitor's result as JSON.")
@stack_options
def run(stack: StackContext, model: str, check: str, window_minutes: int | None, as_json: bool) -> None:
    """Run MODEL's CHECK now and print its result: records, drifted features, metrics, report
    (for a Model Monitor model's data quality: its schedule's last execution)."""
    function, settings = _function(stack, model)
    if check == "data-quality" and (settings.get("monitoring") or {}).get("engine") == MODEL_MONITOR:
        view = model_monitor_view(stack.client("sagemaker"), model, settings)
        if as_json:
            click.echo(json.dumps(view, indent=2, default=str))
        else:
            print_view(view)
        raise SystemExit(VIEW_EXIT.get(view["status"], 0))
    request = {"model": model, "check": check, **({"window_minutes": window_minutes} if window_minutes else {})}
    answer = stack.client("lambda", config=LAMBDA_CONFIG).invoke(
        FunctionName=function, InvocationType="RequestResponse", Payload=json.dumps(request).encode())
    result = json.loads(answer["Payload"].read() or b"null")
    if answer.get("FunctionError"):
        _failed(result, function)
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
    else:
        _print(result)
    status = (result or {}).get("status")
    if status in ("drift", "degraded"):
        raise SystemExit(FINDING_EXIT)
    if status == "no-data":
        raise SystemExit(NO_DATA_EXIT)


def _function(stack: StackContext, model: str) -> tuple[str, dict]:
    function = stack.outputs.get("MonitorFunctionName")
    if not function:
        raise CliError(f"stack {stack.name} has no output MonitorFunctionName: it was deployed without monitoring "
                       "(a version before monitoring, or every model's monitoring.enabled is false)")
    settings = stack.settings(model)  # unknown model -> advice naming the configured ones
    try:
        endpoint_name(settings, model)
    except NotDeployed as error:
        fail(str(error), NOT_DEPLOYED_EXIT)
    if (settings.get("monitoring") or {}).get("enabled") is False:
        raise CliError(f"monitoring is disabled for model '{model}' (models[].monitoring.enabled); enable it "
                       "and deploy the stack")
    return function, settings


def _failed(result, function: str) -> None:
    error = result if isinstance(result, dict) else {}
    kind, message = error.get("errorType", "Error"), error.get("errorMessage") or json.dumps(result)
    code, hint = ADVICE.get(kind, (1, f" (the function {function} failed; its log group has the details)"))
    fail(f"{message}{hint}", code)


def _print(result: dict) -> None:
    window = result.get("window") or {}
    status = result.get("status", "?")
    click.echo(f"{result.get('model')} {result.get('check')} check of endpoint {result.get('endpoint')}, "
               f"{window.get('start')} .. {window.get('end')}: {status.upper()}")
    if status == "processing":
        click.echo(f"  too much data for the Lambda: SageMaker Processing job {result.get('processing_job')} runs "
                   "the check; its result is published when it completes")
        return
    unparseable = result.get("unparseable") or 0
    click.echo(f"  records: {result.get('records', 0)}" + (f" ({unparseable} could not be parsed)" if unparseable else ""))
    if status == "no-data":
        click.echo(f"  no data in the window: nothing was judged{_reason(result)}")
    distances = result.get("distances") or {}
    drifted = result.get("drifted") or []
    if drifted:
        click.echo("  drifted: " + ", ".join(f"{f} ({distances[f]:.4g})" if f in distances else f for f in drifted))
    if distances:
        click.echo("  distances: " + ", ".join(f"{f} {d:.4g}" for f, d in sorted(distances.items())))
    for name, value in sorted((result.get("metrics") or {}).items()):
        click.echo(f"  {name}: {value:.4g}" if isinstance(value, (int, float)) else f"  {name}: {value}")
    if result.get("report"):
        click.echo(f"  report: {result['report']}")


def _reason(result: dict) -> str:
    reason = result.get("reason")
    return f" ({reason})" if reason else ""
