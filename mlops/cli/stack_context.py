"""Where the operator commands find the deployed stack, on AWS or the embedded cloud alike.

The stack outputs come from `--outputs-file` (what `cdk deploy --outputs-file` and
`mlops local up --outputs-file` write: `{"<stack>": {"<output>": "<value>"}}`), or else from
CloudFormation DescribeStacks of `--stack`. Clients are plain boto3 ones, so they honour
AWS_ENDPOINT_URL, AWS_PROFILE and AWS_DEFAULT_REGION. Every AWS failure becomes advice
(`CliError`), never a traceback.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import click
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError, NoRegionError

from mlops.cli.output import fail

DEFAULT_STACK = "MlopsStack"
REQUIRED_OUTPUTS = ("TrainingPipelineArn", "SettingsParameterPrefix", "ArtifactsBucketName")


class CliError(Exception):
    """A problem the operator can fix; the message says how."""


@dataclass
class StackContext:
    name: str
    outputs: dict[str, str]
    _clients: dict[str, Any] = field(default_factory=dict)
    # A session of this command's own: boto3's default session caches the credentials it
    # first resolved for the whole process, whatever the environment says later.
    _session: boto3.Session = field(default_factory=boto3.Session)

    def client(self, service: str):
        if service not in self._clients:
            self._clients[service] = self._session.client(service)
        return self._clients[service]

    def settings(self, model: str) -> dict:
        """The model's settings parameter (what the pipeline runs with)."""
        prefix = self.outputs["SettingsParameterPrefix"]
        try:
            value = self.client("ssm").get_parameter(Name=f"{prefix.rstrip('/')}/{model}")["Parameter"]["Value"]
        except ClientError as error:
            if error.response["Error"]["Code"] == "ParameterNotFound":
                raise CliError(f"model '{model}' is not configured in stack {self.name} "
                               f"(no parameter {prefix}{model}); configured: {', '.join(self.models()) or 'none'}") from None
            raise
        return json.loads(value)

    def models(self) -> list[str]:
        prefix = self.outputs["SettingsParameterPrefix"].rstrip("/")
        pages = self.client("ssm").get_paginator("get_parameters_by_path").paginate(Path=prefix, Recursive=False)
        return sorted(p["Name"].rsplit("/", 1)[-1] for page in pages for p in page["Parameters"])


def stack_options(command):
    """--outputs-file and --stack, resolved into a `stack` StackContext argument."""
    @click.option("--outputs-file", type=click.Path(path_type=Path, dir_okay=False), envvar="MLOPS_OUTPUTS_FILE",
                  default=None, help="Stack outputs JSON from `cdk deploy --outputs-file` or `mlops local up` "
                  "(env MLOPS_OUTPUTS_FILE). Without it the outputs come from CloudFormation.")
    @click.option("--stack", "stack_name", envvar="MLOPS_STACK", default=None,
                  help=f"Stack name (env MLOPS_STACK; default: the only stack in the outputs file, else {DEFAULT_STACK}).")
    @functools.wraps(command)
    def wrapper(outputs_file: Path | None, stack_name: str | None, **kwargs):
        try:
            return command(stack=resolve(outputs_file, stack_name), **kwargs)
        except CliError as error:
            fail(str(error))
        except (NoCredentialsError, NoRegionError, EndpointConnectionError, ClientError, BotoCoreError) as error:
            fail(advice(error))
    return wrapper


def resolve(outputs_file: Path | None, stack_name: str | None) -> StackContext:
    if outputs_file is not None:
        return _from_file(outputs_file, stack_name)
    name = stack_name or DEFAULT_STACK
    try:
        stacks = boto3.Session().client("cloudformation").describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            raise CliError(f"stack {name} was not found through CloudFormation; pass --stack NAME, or "
                           "--outputs-file FILE from `cdk deploy --outputs-file` / `mlops local up`") from None
        raise
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return _checked(name, outputs, f"stack {name}")


def _from_file(path: Path, stack_name: str | None) -> StackContext:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CliError(f"cannot read stack outputs from {path}: {error}") from None
    if not isinstance(document, dict) or not document:
        raise CliError(f"{path} holds no stack outputs (expected {{\"<stack>\": {{...}}}})")
    if stack_name is None and len(document) > 1:
        raise CliError(f"{path} holds several stacks ({', '.join(document)}); choose one with --stack")
    name = stack_name or next(iter(document))
    if name not in document:
        raise CliError(f"{path} has no stack {name}; it has: {', '.join(document)}")
    return _checked(name, document[name], str(path))


def _checked(name: str, outputs: dict, source: str) -> StackContext:
    missing = [key for key in REQUIRED_OUTPUTS if key not in outputs]
    if missing:
        raise CliError(f"{source} lacks the output(s) {', '.join(missing)}: is it an MLOps stack of this version?")
    return StackContext(name=name, outputs=outputs)


def advice(error: Exception) -> str:
    if isinstance(error, NoCredentialsError):
        return "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
    if isinstance(error, NoRegionError):
        return "no AWS region set: export AWS_DEFAULT_REGION (the region the stack is deployed in)"
    if isinstance(error, EndpointConnectionError):
        return f"cannot reach {error.kwargs.get('endpoint_url')}: is the stack's endpoint up (`mlops local up`)?"
    if isinstance(error, ClientError):
        return f"AWS refused {error.operation_name}: {error.response['Error'].get('Message') or error}"
    return f"AWS call failed: {error}"
