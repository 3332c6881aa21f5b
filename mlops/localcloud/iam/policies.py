"""The policies of the deployed stacks, as synthesized in their templates (resolved to local ARNs).

Identity policies of each role: its inline policies and AWS::IAM::Policy resources, the
stack's managed policies and AWS managed ones (documents from moto's copy of AWS's), and its
permissions boundary. Resource policies where AWS evaluates them: bucket policies, KMS key
policies (a key without one gets AWS's default: the account may delegate to IAM), queue and
topic policies, a function's permissions (AWS::Lambda::Permission), a role's trust policy.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

from mlops.localcloud.provisioner import Deployment, RoleInfo


@functools.cache
def _aws_managed() -> dict[str, dict]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return {name: entry["Document"] for name, entry in json.loads(aws_managed_policies_data).items()}


def _document(value) -> dict:
    return json.loads(value) if isinstance(value, str) else value


class PolicyIndex:
    def __init__(self, deployments: Iterable[Deployment]) -> None:
        self.roles: dict[str, RoleInfo] = {}
        self.boundaries: dict[str, str] = {}  # role ARN -> permissions boundary policy ARN
        self.documents: dict[str, dict] = {}  # policy id -> document
        self._resource: dict[str, str] = {}  # resource key -> policy id
        self._stack_managed: dict[str, dict] = {}  # the stacks' own managed policies, by ARN
        self.missing: set[str] = set()  # managed policies whose documents are unknown
        for deployment in deployments:
            self._index(deployment)

    def identity_policies(self, role_arn: str) -> list[str] | None:
        """Policy ids of the role's identity policies; None if no deployed stack has the role."""
        role = self.roles.get(role_arn)
        if role is None:
            return None
        ids = []
        for name, document in role.inline_policies.items():
            ids.append(self._add(f"{role.name}/{name}", document))
        for arn in role.managed_policy_arns:
            document = role.managed_policies.get(arn) or _aws_managed().get(arn.rsplit("/", 1)[-1])
            if document is None:
                self.missing.add(arn)
                continue
            ids.append(self._add(arn, document))
        return ids

    def boundary(self, role_arn: str) -> list[str]:
        """The policy id of the role's permissions boundary, if it has one."""
        arn = self.boundaries.get(role_arn)
        if not arn:
            return []
        document = self._stack_managed.get(arn) or _aws_managed().get(arn.rsplit("/", 1)[-1])
        if document is None:
            self.missing.add(arn)
            return []
        return [self._add(arn, document)]

    def resource_policy(self, resource_arn: str, action: str) -> str | None:
        """The policy id of the resource policy AWS evaluates for `action` on `resource_arn`, if any."""
        parts = resource_arn.split(":")
        if len(parts) < 6:
            return None
        service = parts[2]
        if service == "iam":  # a role's trust policy governs assuming it, nothing else
            return self._resource.get(resource_arn) if action.lower().startswith("sts:assumerole") else None
        if service == "s3":
            return self._resource.get(f"s3:{parts[5].split('/', 1)[0]}")
        if service == "lambda":
            return self._resource.get(":".join(parts[:7]))
        if service == "kms" and resource_arn not in self._resource:
            account = parts[4]
            return self._add(f"default key policy {account}", {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:{parts[1]}:iam::{account}:root"},
                 "Action": "kms:*", "Resource": "*"}]})
        return self._resource.get(resource_arn)

    def _add(self, policy_id: str, document: dict) -> str:
        self.documents[policy_id] = _document(document)
        return policy_id

    def _index(self, deployment: Deployment) -> None:
        stack = deployment.stack_name
        for resource in deployment.of_type("AWS::IAM::ManagedPolicy").values():
            self._stack_managed[resource.physical_id] = _document(resource.properties["PolicyDocument"])
        for role in deployment.roles():
            self.roles[role.arn] = role
            self._resource[role.arn] = self._add(f"{role.name} trust policy", role.assume_role_policy)
            boundary = deployment.resources[role.logical_id].properties.get("PermissionsBoundary")
            if boundary:
                self.boundaries[role.arn] = boundary
        for lid, r in deployment.of_type("AWS::S3::BucketPolicy").items():
            self._resource[f"s3:{r.properties['Bucket']}"] = self._add(f"{stack}/{lid}", r.properties["PolicyDocument"])
        for lid, r in deployment.of_type("AWS::KMS::Key").items():
            if r.properties.get("KeyPolicy"):
                self._resource[r.attributes["Arn"]] = self._add(f"{stack}/{lid}", r.properties["KeyPolicy"])
        for kind, key in (("AWS::SQS::QueuePolicy", "Queues"), ("AWS::SNS::TopicPolicy", "Topics")):
            for lid, r in deployment.of_type(kind).items():
                for target in r.properties.get(key, []):
                    arn = _queue_arn(target, deployment) if kind.startswith("AWS::SQS") else target
                    self._resource[arn] = self._add(f"{stack}/{lid}", r.properties["PolicyDocument"])
        self._function_policies(deployment)

    def _function_policies(self, deployment: Deployment) -> None:
        arns = {fn.name: fn.arn for fn in deployment.functions()}
        statements: dict[str, list[dict]] = {}
        for lid, r in deployment.of_type("AWS::Lambda::Permission").items():
            p = r.properties
            arn = p["FunctionName"] if p["FunctionName"].startswith("arn:") else arns.get(p["FunctionName"])
            if arn:
                statement = _permission_statement(lid, arn, p)
                statements.setdefault(":".join(arn.split(":")[:7]), []).append(statement)
        for arn, found in statements.items():
            self._resource[arn] = self._add(f"{arn} function policy", {"Version": "2012-10-17", "Statement": found})


def _permission_statement(sid: str, function_arn: str, p: dict) -> dict:
    """The statement Lambda's AddPermission writes for an AWS::Lambda::Permission."""
    principal = p["Principal"]
    if principal != "*":
        principal = {"Service": principal} if principal.endswith(".amazonaws.com") else {
            "AWS": principal if principal.startswith("arn:") else f"arn:aws:iam::{principal}:root"}
    condition = {}
    if p.get("SourceArn"):
        condition["ArnLike"] = {"AWS:SourceArn": p["SourceArn"]}
    if p.get("SourceAccount"):
        condition["StringEquals"] = {"AWS:SourceAccount": p["SourceAccount"]}
    statement = {"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": p["Action"], "Resource": function_arn}
    return {**statement, "Condition": condition} if condition else statement


def _queue_arn(url: str, deployment: Deployment) -> str:
    account, name = url.rstrip("/").split("/")[-2:]
    return f"arn:aws:sqs:{deployment.region}:{account}:{name}"
