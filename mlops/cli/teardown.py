"""`mlops teardown`: delete what the pipelines created outside CloudFormation (mlops/teardown.py,
and first the Model Monitor schedules and job definitions, mlops/teardown_monitoring.py) before
`cdk destroy`, after showing the list and asking (unless --yes)."""

from __future__ import annotations

import json

import click
from botocore.exceptions import ClientError

from mlops.cli.stack_context import StackContext, stack_options
from mlops.teardown import delete, failure_reason, plan
from mlops.teardown_monitoring import KINDS as MONITORING_KINDS
from mlops.teardown_monitoring import delete_monitoring, plan_monitoring


@click.command("teardown")
@click.option("--yes", is_flag=True, help="Delete without asking.")
@click.option("--model", "only", multiple=True, help="Only this model (repeatable; default: every configured one).")
@click.option("--json", "as_json", is_flag=True, help="Print what was (or would be) deleted as JSON.")
@stack_options
def teardown(stack: StackContext, yes: bool, only: tuple[str, ...], as_json: bool) -> None:
    """Delete the Model Monitor schedules and job definitions, endpoints, endpoint configs, models,
    deployment alarms, model package versions and Experiments trials the pipelines created, so
    `cdk destroy` leaves nothing billing."""
    models = {model: stack.settings(model) for model in (only or stack.models())}
    # A schedule would start executions against the endpoint: it goes first, then its job definitions.
    doomed = plan_monitoring(stack.client, models) + plan(stack.client, models)
    if not doomed:
        click.echo(json.dumps({"deleted": []}) if as_json else
                   f"Nothing to delete for {', '.join(models) or 'any model'} in stack {stack.name}.")
        return
    if not as_json or not yes:
        for item in doomed:
            click.echo(f"  {item.kind:<16} {item.name}  ({item.model})", err=as_json)
    if not yes and not click.confirm(f"Delete these {len(doomed)} resources?", default=False, err=as_json):
        click.echo("Nothing deleted.", err=as_json)
        raise SystemExit(1)
    # Everything that can go goes: one refused delete (a permission, a throttle) must not leave
    # an endpoint billing behind it.
    failed: list[dict[str, str]] = []
    for item in doomed:
        try:
            (delete_monitoring if item.kind in MONITORING_KINDS else delete)(stack.client, item)
        except (ClientError, TimeoutError) as error:
            reason = failure_reason(error) if isinstance(error, ClientError) else str(error)
            failed.append({**item.to_dict(), "reason": reason})
    deleted = [d.to_dict() for d in doomed if not any(f["kind"] == d.kind and f["name"] == d.name for f in failed)]
    if as_json:
        click.echo(json.dumps({"deleted": deleted, "failed": failed}, indent=2))
    else:
        click.echo(f"Deleted {len(deleted)} resources. Endpoints stop billing once they are gone; "
                   "`cdk destroy` removes the rest (data and artifact buckets, the key and the package groups are retained).")
    if failed:
        for item in failed:
            click.secho(f"could not delete {item['kind']} {item['name']}: {item['reason']}", fg="red", err=True)
        click.secho(f"error: {len(failed)} resources were not deleted; fix the cause and run `mlops teardown` again "
                    "(it picks up what is left)", fg="red", err=True)
        raise SystemExit(1)
