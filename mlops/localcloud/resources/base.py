"""What every resource handler gets (`Context`) and returns (`Created`), and CloudFormation's
way of naming resources the template leaves unnamed."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

LOG = logging.getLogger("mlops.localcloud.provisioner")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass
class Created:
    """A created resource: what `Ref` returns and what `Fn::GetAtt` may ask for."""

    physical_id: str
    attributes: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)  # facts for `Deployment` views, not GetAtt-able


@dataclass(frozen=True)
class Handler:
    create: Callable[["Context", str, dict], Created]
    attributes: frozenset[str] = frozenset()
    # Properties the handler applies or knowingly skips; any other property is reported as
    # ignored in `Deployment.warnings` (None: the handler takes any property).
    properties: frozenset[str] | None = None


def handler(create: Callable, *, attributes: tuple[str, ...] = (), properties: tuple[str, ...] | None = None) -> Handler:
    return Handler(create, frozenset(attributes), None if properties is None else frozenset(properties))


def generated_name(stack_name: str, logical_id: str, *, max_length: int, lowercase: bool = False,
                   stack_prefix: bool = True, extension: str = "") -> str:
    """`<stack>-<LogicalId>-<SUFFIX><extension>` as CloudFormation makes it, with a suffix derived
    from stack and logical id (stable across runs) and the parts cut to fit `max_length`."""
    digest = int.from_bytes(hashlib.sha256(f"{stack_name}/{logical_id}".encode()).digest(), "big")
    alphabet = _LOWER if lowercase else _UPPER
    suffix = "".join(alphabet[(digest >> (6 * i)) % len(alphabet)] for i in range(12))
    parts = [stack_name, logical_id] if stack_prefix else [logical_id]
    budget = max_length - len(suffix) - len(extension) - len(parts)
    if sum(len(p) for p in parts) > budget:
        if len(parts) == 2:
            stack_share = max(budget // 2, budget - len(logical_id))
            parts = [stack_name[:stack_share], logical_id[: budget - min(len(stack_name), stack_share)]]
        else:
            parts = [logical_id[:budget]]
    name = "-".join([*parts, suffix]) + extension
    return name.lower() if lowercase else name


class Context:
    """The account, region and stack resources are created in, and boto3 clients for it."""

    def __init__(self, *, endpoint_url: str, region: str, account: str, stack_name: str,
                 partition: str = "aws", url_suffix: str = "amazonaws.com") -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self.account = account
        self.stack_name = stack_name
        self.partition = partition
        self.url_suffix = url_suffix
        self.warnings: list[str] = []
        self.layer_placeholders: set[tuple[str, str]] = set()  # (bucket, key) of unpublished layer assets
        self._deferred: list[tuple[str, Callable[[], None]]] = []
        self._clients: dict[str, Any] = {}

    def client(self, service: str):
        if service not in self._clients:
            self._clients[service] = boto3.client(
                service, endpoint_url=self.endpoint_url, region_name=self.region,
                aws_access_key_id="embedded", aws_secret_access_key="embedded",
                config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
            )
        return self._clients[service]

    def name(self, logical_id: str, *, max_length: int, lowercase: bool = False, stack_prefix: bool = True,
             extension: str = "") -> str:
        return generated_name(self.stack_name, logical_id, max_length=max_length, lowercase=lowercase,
                              stack_prefix=stack_prefix, extension=extension)

    def arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        return (f"arn:{self.partition}:{service}:{self.region if region else ''}:"
                f"{self.account if account else ''}:{resource}")

    def warn(self, message: str) -> None:
        LOG.warning(message)
        self.warnings.append(message)

    def defer(self, logical_id: str, action: Callable[[], None]) -> None:
        """Run `action` once every resource exists (e.g. bucket logging, which S3 checks against
        the target bucket's policy, a resource the template does not make the bucket depend on)."""
        self._deferred.append((logical_id, action))

    def take_deferred(self) -> list[tuple[str, Callable[[], None]]]:
        deferred, self._deferred = self._deferred, []
        return deferred


def tag_list(tags: Any) -> list[dict[str, str]]:
    """CloudFormation tags (a list of Key/Value, or a map for some types) as a Key/Value list."""
    if isinstance(tags, dict):
        return [{"Key": str(k), "Value": str(v)} for k, v in tags.items()]
    return [{"Key": str(t["Key"]), "Value": str(t.get("Value", ""))} for t in tags or []]


def tag_dict(tags: Any) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tag_list(tags)}


def as_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_text(value: Any) -> str:
    """A JSON-typed property (policy documents, patterns): CloudFormation takes an object or a string."""
    import json

    return value if isinstance(value, str) else json.dumps(value)


def drop_none(**kwargs: Any) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}
