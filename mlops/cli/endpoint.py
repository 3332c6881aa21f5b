"""`mlops endpoint status`, `mlops invoke`, `mlops rollback`: a model's endpoint, on AWS or the
embedded cloud alike (plain boto3 clients: AWS_ENDPOINT_URL, AWS_PROFILE, AWS_DEFAULT_REGION).

Exit codes: 0 done; 1 an error with advice; 2 the model answered with an error (invoke);
3 nothing deployed for the model.
"""

from __future__ import annotations

import getpass
import json
import sys
import time
from pathlib import Path

import click
from botocore.exceptions import ClientError

from mlops.cli.output import fail
from mlops.cli.stack_context import CliError, StackContext, stack_options
from mlops.endpoints import BUSY, NotDeployed, describe, endpoint_name, roll_back, rollback_target

NOT_DEPLOYED_EXIT = 3
MODEL_ERROR_EXIT = 2


@click.group("endpoint")
def endpoint() -> None:
    """A model's endpoint: what serves, how traffic is split, which alarms fire."""


@endpoint.command("status")
@click.argument("model")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@stack_options
def status(stack: StackContext, model: str, as_json: bool) -> None:
    """Show MODEL's endpoint: status, deployed version, traffic per variant, rollback alarms."""
    state = _state(stack, model)
    if as_json:
        click.echo(json.dumps(state.to_dict(), indent=2, default=str))
        return
    version = f"version {state.version.version}" if state.version else "a model outside the registry"
    click.echo(f"Endpoint {state.name}: {state.status}, serving {version} ({state.endpoint_config})")
    if state.pending_config:
        click.echo(f"  deploying {state.pending_config}")
    if state.failure_reason:
        click.echo(f"  failure reason: {state.failure_reason}")
    for variant in state.variants:
        click.echo(f"  variant {variant.name}: weight {variant.weight}, instances {variant.instances}"
                   + (f" ({variant.status})" if variant.status else ""))
    for variant in state.shadow_variants:
        click.echo(f"  shadow variant {variant.name}: weight {variant.weight}")
    capture = state.capture or {}
    if capture.get("EnableCapture"):
        click.echo(f"  data capture: {capture.get('CurrentSamplingPercentage')}% to {capture.get('DestinationS3Uri')}")
    for name, value in sorted(state.alarms.items()):
        click.echo(f"  alarm {name}: {value}")


@click.command("invoke")
@click.argument("model")
@click.option("--body", default=None, help="Request body text (default: read --file, else standard input).")
@click.option("--file", "path", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="File with the request body.")
@click.option("--content-type", default="text/csv", show_default=True, help="text/csv or application/json.")
@click.option("--accept", default="application/json", show_default=True, help="Answer format.")
@click.option("--variant", default=None, help="Send the request to this production variant.")
@click.option("--inference-id", default=None, help="Recorded with the request in data capture.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: the answer (parsed when it is JSON), its content type and the serving variant.")
@stack_options
def invoke(stack: StackContext, model: str, body: str | None, path: Path | None, content_type: str, accept: str,
           variant: str | None, inference_id: str | None, as_json: bool) -> None:
    """Send one request to MODEL's endpoint and print the answer (the serving variant goes to stderr)."""
    name = _endpoint(stack, model)
    payload = body.encode() if body is not None else path.read_bytes() if path else sys.stdin.buffer.read()
    if not payload.strip():
        raise CliError("the request body is empty: pass --body, --file or data on standard input")
    extra = {k: v for k, v in (("TargetVariant", variant), ("InferenceId", inference_id)) if v}
    try:
        answer = stack.client("sagemaker-runtime").invoke_endpoint(
            EndpointName=name, Body=payload, ContentType=content_type, Accept=accept, **extra)
    except ClientError as error:
        details = error.response.get("Error", {})
        if details.get("Code") == "ModelError":
            original = error.response.get("OriginalStatusCode") or details.get("OriginalStatusCode")
            message = error.response.get("OriginalMessage") or details.get("OriginalMessage") or details.get("Message")
            fail(f"the model refused the request (status {original}): {message}", MODEL_ERROR_EXIT)
        raise
    text = answer["Body"].read().decode("utf-8", "replace").rstrip("\n")
    served_by = answer.get("InvokedProductionVariant")
    if as_json:
        click.echo(json.dumps({"endpoint": name, "variant": served_by, "content_type": answer.get("ContentType"),
                               "answer": _parsed(text, answer.get("ContentType"))}, indent=2))
        return
    click.echo(text)
    click.echo(f"(answered by variant {served_by or '?'})", err=True)


def _parsed(text: str, content_type: str | None):
    """A JSON answer as data, so scripts need not parse twice; anything else as text."""
    if content_type and "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


@click.command("rollback")
@click.argument("model")
@click.option("--to-version", type=int, default=None,
              help="Registry version to return to (default: the previous successful deployment).")
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait until the endpoint serves it.")
@click.option("--timeout", type=float, default=1800, show_default=True, help="Seconds to wait.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@stack_options
def rollback(stack: StackContext, model: str, to_version: int | None, wait: bool, timeout: float,
             as_json: bool) -> None:
    """Return MODEL's endpoint to an earlier deployment, all traffic at once."""
    current = _state(stack, model)
    group = stack.settings(model)["model_package_group"]
    try:
        target = rollback_target(stack.client("sagemaker"), group=group, current=current, version=to_version)
        config = roll_back(stack.client("sagemaker"), current=current, target=target, operator=_user())
    except LookupError as error:
        raise CliError(str(error)) from None
    facts = {"endpoint": current.name, "from_config": current.endpoint_config, "version": target.version,
             "model_package_arn": target.arn, "endpoint_config": config, "status": "Updating"}
    say = (lambda _: None) if as_json else click.echo
    say(f"{current.name}: rolling back to version {target.version} ({config})")
    if not wait:
        if as_json:
            click.echo(json.dumps(facts, indent=2))
        return
    deadline = time.monotonic() + timeout
    sagemaker = stack.client("sagemaker")
    while True:
        described = sagemaker.describe_endpoint(EndpointName=current.name)
        if described["EndpointStatus"] not in BUSY:
            break
        if time.monotonic() > deadline:
            raise CliError(f"{current.name} is still {described['EndpointStatus']} after {timeout:.0f} s; "
                           "`mlops endpoint status` shows progress")
        time.sleep(2)
    if described.get("EndpointConfigName") != config:
        reason = described.get("FailureReason") or "SageMaker kept the current config"
        raise CliError(f"the rollback did not complete: {current.name} still serves "
                       f"{described.get('EndpointConfigName')} ({reason})")
    sagemaker.update_model_package(ModelPackageArn=target.arn, CustomerMetadataProperties={
        "DeploymentStatus": "Deployed", "EndpointConfigName": config, "EndpointName": current.name})
    facts["status"] = described["EndpointStatus"]
    say(f"{current.name}: InService on version {target.version} ({config})")
    if as_json:
        click.echo(json.dumps(facts, indent=2))


def _endpoint(stack: StackContext, model: str) -> str:
    try:
        return endpoint_name(stack.settings(model), model)
    except NotDeployed as error:
        fail(str(error), NOT_DEPLOYED_EXIT)


def _state(stack: StackContext, model: str):
    name = _endpoint(stack, model)
    try:
        return describe(stack.client("sagemaker"), stack.client("cloudwatch"), endpoint=name, model=model,
                        group=stack.settings(model)["model_package_group"])
    except NotDeployed as error:
        fail(str(error), NOT_DEPLOYED_EXIT)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers)
        return "an operator"
