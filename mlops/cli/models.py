"""`mlops models`, `mlops approve`, `mlops reject`: a model's versions in the registry and
their approval. Approving or rejecting is UpdateModelPackage, so SageMaker sends the same
`SageMaker Model Package State Change` event as for an approval in the console."""

from __future__ import annotations

import getpass
import json

import click

from mlops.cli.stack_context import CliError, StackContext, stack_options
from mlops.model_versions import APPROVED, REJECTED, ModelVersion, choose, list_versions, set_status

COLUMNS = ("VERSION", "STATUS", "CREATED (UTC)", "TEST SCORE", "CHAMPION", "DATA VERSION", "RUN")


@click.command("models")
@click.argument("model")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@stack_options
def models(stack: StackContext, model: str, as_json: bool) -> None:
    """List MODEL's versions in the registry: approval, test score against the champion, data version."""
    versions = _versions(stack, model)
    if as_json:
        click.echo(json.dumps([v.to_dict() for v in versions], indent=2))
        return
    if not versions:
        click.echo(f"No versions of '{model}' are registered yet.")
        return
    rows = [_row(v) for v in versions]
    widths = [max(len(str(r[i])) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    for row in [COLUMNS, *rows]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


@click.command("approve")
@click.argument("model")
@click.option("--version", type=int, default=None, help="Version to approve (default: the newest pending one).")
@click.option("--reason", default=None, help="Recorded as the package's ApprovalDescription.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@stack_options
def approve(stack: StackContext, model: str, version: int | None, reason: str | None, as_json: bool) -> None:
    """Approve a version of MODEL (SageMaker then sends the approval event deployments act on)."""
    _change(stack, model, version, APPROVED, reason, as_json)


@click.command("reject")
@click.argument("model")
@click.option("--version", type=int, default=None, help="Version to reject (default: the newest pending one).")
@click.option("--reason", default=None, help="Recorded as the package's ApprovalDescription.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@stack_options
def reject(stack: StackContext, model: str, version: int | None, reason: str | None, as_json: bool) -> None:
    """Reject a version of MODEL."""
    _change(stack, model, version, REJECTED, reason, as_json)


def _versions(stack: StackContext, model: str) -> list[ModelVersion]:
    group = stack.settings(model)["model_package_group"]
    return list_versions(stack.client("sagemaker"), group)


def _change(stack: StackContext, model: str, version: int | None, status: str, reason: str | None,
            as_json: bool = False) -> None:
    try:
        chosen = choose(_versions(stack, model), model, version)
    except ValueError as error:
        raise CliError(str(error)) from None
    changed = chosen.status != status
    description = reason or f"{status} with `mlops {'approve' if status == APPROVED else 'reject'}` by {_user()}"
    if changed:
        set_status(stack.client("sagemaker"), chosen, status, description)
    if as_json:
        gate = chosen.metadata.get("GateDecision")
        click.echo(json.dumps({"model": model, "version": chosen.version, "model_package_arn": chosen.arn,
                               "previous_status": chosen.status, "status": status, "changed": changed,
                               "description": description if changed else None, "gate_decision": gate}, indent=2))
        return
    if not changed:
        click.echo(f"{model} version {chosen.version} is already {status}; nothing changed.")
        return
    click.echo(f"{model} version {chosen.version}: {chosen.status} -> {status} ({chosen.arn})")
    if status == APPROVED:
        click.echo("SageMaker sends 'SageMaker Model Package State Change' for it; deployments listen for that.")
    if chosen.metadata.get("GateDecision") == "Rejected" and status == APPROVED:
        click.echo(f"Note: the evaluation gate had rejected this version: test score "
                   f"{chosen.metadata.get('CandidateScore')} against the champion's {chosen.metadata.get('ChampionScore')}.")


def _row(version: ModelVersion) -> tuple:
    meta = version.metadata
    score = f"{meta['GateMetric']} {meta['CandidateScore']}" if "GateMetric" in meta else "-"
    champion = meta.get("ChampionScore", "-")
    if champion not in ("-", "none", "not comparable") and meta.get("ChampionModelPackage", "none") != "none":
        champion += f" (v{meta['ChampionModelPackage'].rsplit('/', 1)[-1]})"
    return (version.version, version.status, version.created, score, champion,
            meta.get("DataVersionId", "-"), meta.get("RunId", "-"))


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): the record still says who via IAM
        return "an operator"
