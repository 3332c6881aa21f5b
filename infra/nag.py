"""cdk-nag 3.x: the AWS Solutions pack runs as a CDK policy-validation plugin at synth, and a
finding is silenced only per resource, with a reason, through `Validations.of(c).acknowledge`.

cdk-nag 3 matches acknowledgements exactly (no prefixes): an IAM5 finding names the wildcard
it is about, e.g. `AwsSolutions-IAM5[Resource::<DataBucketE3889A50.Arn>/datasets/*]`.
`acknowledge_wildcards` renders those names from the very values put in the policy, the way
cdk-nag flattens them, so an acknowledgement cannot drift from its statement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def add_compliance_checks(app: cdk.App) -> None:
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))


def acknowledge(construct: IConstruct, rule_id: str, reason: str) -> None:
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))


def acknowledge_wildcards(construct: IConstruct, resources: Iterable[Any], reason: str) -> None:
    """Acknowledge AwsSolutions-IAM5 for each policy resource that contains a `*`."""
    stack = cdk.Stack.of(construct)
    for resource in resources:
        flat = flatten(stack.resolve(resource))
        if "*" in flat:
            acknowledge(construct, f"AwsSolutions-IAM5[Resource::{flat}]", reason)


def acknowledge_actions(construct: IConstruct, actions: Iterable[str], reason: str) -> None:
    for action in actions:
        acknowledge(construct, f"AwsSolutions-IAM5[Action::{action}]", reason)


def flatten(node: Any) -> str:
    """cdk-nag's flattenCfnReference: `{"Fn::GetAtt": [X, "Arn"]}` -> `<X.Arn>`, Ref -> `<X>`."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node.replace("${", "<").replace("}", ">")
    if isinstance(node, dict):
        if "Fn::Join" in node:
            delimiter, items = node["Fn::Join"]
            return delimiter.join(flatten(item) for item in items)
        if "Fn::Sub" in node:
            return flatten(node["Fn::Sub"])
        if "Fn::GetAtt" in node:
            resource, attribute = node["Fn::GetAtt"]
            return f"<{flatten(resource)}.{flatten(attribute)}>"
        if "Fn::ImportValue" in node:
            return flatten(node["Fn::ImportValue"])
        if "Ref" in node:
            return f"<{flatten(node['Ref'])}>"
    return json.dumps(node, separators=(",", ":"))
