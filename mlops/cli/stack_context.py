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
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import click
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

from mlops.cli.output import fail

DEFAULT_STACK = "MlopsStack"
LOCAL_URL = "http://127.0.0.1:4566"  # where `mlops local up` serves by default
LOCAL_OUTPUTS = ".local-outputs.json"  # where `mlops local up` writes the stack outputs by default
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

    _endpoint_url: str | None = None  # --local: the embedded cloud's URL

    def client(self, service: str, config=None):
        """A client of this command's session (`config`: botocore Config, e.g. longer timeouts)."""
        key = (service, id(config))
        if key not in self._clients:
            self._clients[key] = self._session.client(service, endpoint_url=self._endpoint_url, config=config)
        return self._clients[key]

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
    @click.option("--profile", envvar="AWS_PROFILE", default=None, help="AWS profile (as the AWS CLI takes it).")
    @click.option("--region", envvar="AWS_DEFAULT_REGION", default=None, help="AWS region (as the AWS CLI takes it).")
    @click.option("--local", is_flag=True, default=False,
                  help=f"Talk to the embedded cloud `mlops local up` runs (URL from env MLOPS_LOCAL_URL, default "
                  f"{LOCAL_URL}; outputs from {LOCAL_OUTPUTS} unless --outputs-file) instead of AWS. "
                  "AWS_ENDPOINT_URL also works.")
    @click.option("--endpoint-url", envvar="AWS_ENDPOINT_URL", default=None,
                  help="Send every AWS call to this URL (as the AWS CLI takes it; env AWS_ENDPOINT_URL). With "
                  "--local: the embedded cloud's URL.")
    @functools.wraps(command)
    def wrapper(outputs_file: Path | None, stack_name: str | None, profile: str | None, region: str | None,
                local: bool, endpoint_url: str | None, **kwargs):
        if local:
            endpoint_url = endpoint_url or os.environ.get("MLOPS_LOCAL_URL") or LOCAL_URL
        if local and outputs_file is None:
            outputs_file = Path(LOCAL_OUTPUTS)
        try:
            session = _session(profile, region, endpoint_url if local else None)
            stack = resolve(outputs_file, stack_name, session=session, endpoint_url=endpoint_url)
            return command(stack=stack, **kwargs)
        except CliError as error:
            fail(str(error))
        except (NoCredentialsError, NoRegionError, EndpointConnectionError, ClientError, BotoCoreError) as error:
            fail(advice(error))
    return wrapper


def _session(profile: str | None, region: str | None, local_url: str | None) -> boto3.Session:
    if local_url:  # the embedded cloud takes any credentials; a profile is not needed
        return boto3.Session(aws_access_key_id="local", aws_secret_access_key="local",
                             region_name=region or "us-east-1")
    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise CliError(f"AWS profile '{profile}' is not configured (see `aws configure list-profiles`)") from None


def resolve(outputs_file: Path | None, stack_name: str | None, *, session: boto3.Session | None = None,
            endpoint_url: str | None = None) -> StackContext:
    session = session or boto3.Session()
    if outputs_file is not None:
        return _from_file(outputs_file, stack_name, session=session, endpoint_url=endpoint_url)
    name = stack_name or DEFAULT_STACK
    try:
        stacks = session.client("cloudformation", endpoint_url=endpoint_url).describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if "does not exist" in str(error):
            raise CliError(f"stack {name} was not found through CloudFormation; pass --stack NAME, or "
                           "--outputs-file FILE from `cdk deploy --outputs-file` / `mlops local up`") from None
        raise
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    return _checked(name, outputs, f"stack {name}", session=session, endpoint_url=endpoint_url)


def _from_file(path: Path, stack_name: str | None, *, session: boto3.Session,
               endpoint_url: str | None) -> StackContext:
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
    return _checked(name, document[name], str(path), session=session, endpoint_url=endpoint_url)


def _checked(name: str, outputs: dict, source: str, *, session: boto3.Session,
             endpoint_url: str | None) -> StackContext:
    missing = [key for key in REQUIRED_OUTPUTS if key not in outputs]
    if missing:
        raise CliError(f"{source} lacks the output(s) {', '.join(missing)}: is it an MLOps stack of this version?")
    return StackContext(name=name, outputs=outputs, _session=session, _endpoint_url=endpoint_url)


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
