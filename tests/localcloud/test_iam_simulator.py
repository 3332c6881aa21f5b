"""The policy simulator bridge: AWS's evaluation rules, as the checker relies on them."""

from __future__ import annotations

import pytest

from mlops.localcloud.iam.simulator import Simulator

ACCOUNT = "123456789012"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/Worker/fn"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Worker"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234"
IDENTITY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:ListBucket"],
     "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/datasets/*"]},
    {"Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "NotResource": [f"arn:aws:sagemaker:*:{ACCOUNT}:endpoint/*"]},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": ROLE,
     "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}},
]}
TLS_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                                                    "Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
                                                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
KEY_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}]}
FUNCTION_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction",
    "Resource": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:start",
    "Condition": {"ArnLike": {"AWS:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/uploads"}}}]}
POLICIES = {"identity": IDENTITY, "tls": TLS_ONLY, "key": KEY_POLICY, "function": FUNCTION_POLICY}


@pytest.fixture(scope="module")
def simulator():
    found = Simulator()
    yield found
    found.close()


def decide(simulator, action, resource, context=None, *, principal=SESSION, identity=("identity",),
           resource_policy=None):
    request = {"id": "r", "principal": principal, "action": action, "resource": resource, "account": ACCOUNT,
               "context": {"aws:SecureTransport": "true", **(context or {})}, "identity": list(identity),
               "boundary": [], "resource_policy": resource_policy}
    return simulator.evaluate(POLICIES, [request])["r"]


def test_wildcard_actions_and_resources_match_as_in_aws(simulator):
    assert decide(simulator, "s3:GetObjectVersion", "arn:aws:s3:::data/datasets/a.csv").allowed
    assert decide(simulator, "s3:getobject", "arn:aws:s3:::data/datasets/a.csv").allowed  # actions ignore case
    outside = decide(simulator, "s3:GetObject", "arn:aws:s3:::data/models/a.csv")
    assert outside.decision == "ImplicitlyDenied"
    assert any(d["policyType"] == "identity" for d in outside.denials)


def test_not_action_and_not_resource_exclude_what_they_name(simulator):
    sagemaker = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}"
    assert decide(simulator, "sagemaker:CreateTrainingJob", f"{sagemaker}:training-job/j").allowed
    assert not decide(simulator, "sagemaker:InvokeEndpoint", f"{sagemaker}:endpoint/e").allowed
    assert not decide(simulator, "iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/x").allowed


def test_conditions_are_evaluated_against_the_request_context(simulator):
    assert decide(simulator, "iam:PassRole", ROLE, {"iam:PassedToService": "sagemaker.amazonaws.com"}).allowed
    assert not decide(simulator, "iam:PassRole", ROLE, {"iam:PassedToService": "lambda.amazonaws.com"}).allowed


def test_a_bucket_policy_deny_overrides_the_role_allow(simulator):
    assert decide(simulator, "s3:GetObject", "arn:aws:s3:::data/datasets/a.csv", resource_policy="tls").allowed
    denied = decide(simulator, "s3:GetObject", "arn:aws:s3:::data/datasets/a.csv", {"aws:SecureTransport": "false"},
                    resource_policy="tls")
    assert denied.decision == "ExplicitlyDenied"


def test_a_kms_key_needs_its_key_policy_to_let_iam_decide(simulator):
    allowed = decide(simulator, "kms:Decrypt", KEY, resource_policy="key")
    assert allowed.allowed  # the NotAction statement allows kms:*; the key policy delegates to IAM
    assert not decide(simulator, "kms:Decrypt", KEY, resource_policy="function").allowed


def test_a_service_principal_is_allowed_by_the_resource_policy_for_its_source_only(simulator):
    function = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:start"
    rule = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/"
    service = {"principal": "events.amazonaws.com", "identity": (), "resource_policy": "function"}
    assert decide(simulator, "lambda:InvokeFunction", function, {"aws:SourceArn": rule + "uploads"}, **service).allowed
    other = decide(simulator, "lambda:InvokeFunction", function, {"aws:SourceArn": rule + "other"}, **service)
    assert not other.allowed


def test_an_action_aws_does_not_have_is_an_error_not_a_denial(simulator):
    result = decide(simulator, "s3:GetEverything", "arn:aws:s3:::data/a")
    assert result.decision == "Error" and "action" in result.error
