"""Least privilege, read off every policy of the synthesized template: no `Action: "*"`, a `"*"`
resource only for the actions infra/iam_exceptions.py lists with a reason, roles passed only
to SageMaker, and inline policies within IAM's size limit."""

from __future__ import annotations

import json
import re

import pytest

from infra.iam_exceptions import RESOURCE_STAR_ACTIONS, may_use_any_resource
from tests.infra.helpers import as_list

# IAM: all inline policies of one role together, without whitespace, at most 10,240 characters.
INLINE_POLICY_LIMIT = 10_240


def identity_statements(template: dict) -> list[tuple[str, dict]]:
    """(where, statement) for every identity-based policy: AWS::IAM::Policy and ManagedPolicy
    documents and the inline Policies of roles. (Key, bucket and queue policies are resource
    policies, where "*" names the resource itself.)"""
    found = []
    for logical_id, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        documents = []
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents = [properties["PolicyDocument"]]
        elif resource["Type"] == "AWS::IAM::Role":
            documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        for document in documents:
            found += [(logical_id, statement) for statement in as_list(document["Statement"])]
    return found


def test_the_template_has_policies_to_check(synthesized):
    assert len(identity_statements(synthesized.template)) > 20


def test_no_statement_allows_every_action_or_every_action_of_a_service(synthesized):
    for where, statement in identity_statements(synthesized.template):
        assert "NotAction" not in statement, where
        for action in as_list(statement["Action"]):
            assert action != "*" and not action.endswith(":*"), (where, action)


def test_any_resource_only_for_the_listed_actions(synthesized):
    unlisted = {(where, action) for where, statement in identity_statements(synthesized.template)
                if statement["Effect"] == "Allow" and "*" in as_list(statement["Resource"])
                for action in as_list(statement["Action"]) if not may_use_any_resource(action)}
    assert unlisted == set(), "add the action to infra/iam_exceptions.py with the reason, or name its resource"


def test_no_statement_uses_not_resource(synthesized):
    assert [where for where, statement in identity_statements(synthesized.template) if "NotResource" in statement] == []


def test_every_exception_says_why_with_an_aws_reference():
    for action, reason in RESOURCE_STAR_ACTIONS.items():
        assert re.fullmatch(r"[a-z0-9-]+:[A-Za-z]+", action), action
        assert "https://docs.aws.amazon.com/" in reason and len(reason) > 60, action


def test_roles_are_passed_only_to_sagemaker_and_only_the_sagemaker_execution_role(synthesized):
    role = synthesized.logical_id("AWS::IAM::Role", "SageMakerExecutionRole")
    passes = [(where, s) for where, s in identity_statements(synthesized.template)
              if any(a.lower() in ("iam:passrole", "iam:*") for a in as_list(s["Action"]))]
    assert passes, "the training pipeline passes the SageMaker execution role"
    for where, statement in passes:
        assert statement["Resource"] == {"Fn::GetAtt": [role, "Arn"]}, where
        assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}, where


def test_the_volume_key_grant_is_only_for_aws_resources(synthesized):
    grants = [s for where, s in identity_statements(synthesized.template)
              if "kms:CreateGrant" in as_list(s["Action"])]
    assert grants and all(s["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}} for s in grants)


def _rendered_length(node) -> int:
    """Characters a policy takes once deployed: intrinsics replaced by generous stand-ins for
    what they resolve to (an ARN, a name), whitespace left out as IAM counts it."""
    def render(value):
        if isinstance(value, dict):
            if "Fn::GetAtt" in value:
                return "a" * 128  # an ARN
            if "Ref" in value:
                return {"AWS::AccountId": "1" * 12, "AWS::Partition": "aws-us-gov",
                        "AWS::Region": "ap-southeast-2"}.get(value["Ref"], "r" * 64)
            if "Fn::Join" in value:
                delimiter, parts = value["Fn::Join"]
                return delimiter.join(render(part) for part in parts)
            if "Fn::Sub" in value:
                return re.sub(r"\$\{[^}]+\}", "s" * 32, value["Fn::Sub"])
            return {k: render(v) for k, v in value.items()}
        if isinstance(value, list):
            return [render(v) for v in value]
        return value

    return len(json.dumps(render(node), separators=(",", ":")))


@pytest.mark.parametrize("role_prefix", ["TrainingPipelineStateMachineRole", "SageMakerExecutionRole",
                                         "StartPipelineRole", "ValidateDataRole"])
def test_a_roles_inline_policies_fit_iams_size_limit(synthesized, role_prefix):
    role = synthesized.logical_id("AWS::IAM::Role", role_prefix)
    size = sum(_rendered_length(policy["Properties"]["PolicyDocument"])
               for policy in synthesized.resources("AWS::IAM::Policy").values()
               if {"Ref": role} in policy["Properties"]["Roles"])
    assert 0 < size < INLINE_POLICY_LIMIT, f"{role}: about {size} characters of inline policy"
