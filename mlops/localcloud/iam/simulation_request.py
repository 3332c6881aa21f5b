"""One IAM request for the policy simulator: who asks, for what, on what, in which context,
with which policies (by id, from `PolicyIndex`)."""

from __future__ import annotations

import hashlib
import json

from mlops.localcloud.iam.authorization import Authorization, pairs
from mlops.localcloud.iam.callers import Caller
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.policies import PolicyIndex
from mlops.localcloud.iam.principals import Principal


def simulation_request(principal: Principal | None, authorization: Authorization, index: PolicyIndex,
                       where: Where) -> dict | str:
    """The simulator's request for `authorization`, or why it cannot be made. The context has
    what AWS puts in every request of this kind of principal, then the call's own keys."""
    w, a = where, authorization
    keys = {"aws:SecureTransport": "true", "aws:RequestedRegion": w.region,
            "aws:ViaAWSService": "true" if any(k == "kms:ViaService" for k, _ in a.context) else "false"}
    if a.service_principal:
        who, identity, boundary = a.service_principal, [], []
        keys.update({"aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": a.service_principal})
    else:
        identity = index.identity_policies(principal.role_arn)
        if identity is None:
            return f"role {principal.role_arn} is in no deployed template"
        who, boundary = principal.session_arn(w), index.boundary(principal.role_arn)
        keys.update({"aws:PrincipalArn": principal.role_arn, "aws:PrincipalAccount": principal.role_arn.split(":")[4],
                     "aws:PrincipalType": "AssumedRole", "aws:PrincipalIsAWSService": "false"})
    keys.update({k: list(v) if isinstance(v, tuple) else v for k, v in a.context})
    parts = a.resource.split(":")
    return {"principal": who, "action": a.action, "resource": a.resource,
            "account": parts[4] if len(parts) > 4 and parts[4] else w.account,
            "context": keys, "identity": identity, "boundary": boundary,
            "resource_policy": index.resource_policy(a.resource, a.action) if a.resource != "*" else None}


def trust(principal: Principal, caller: Caller, where: Where) -> Authorization:
    """What the component's service needs to assume its role: the role's trust policy must allow it."""
    keys = pairs({"aws:SourceAccount": where.account, "aws:SourceArn": caller.source_arn})
    return Authorization("sts:AssumeRole", principal.role_arn, keys, caller.service,
                         note=f"{caller.service} assumes the role for the {caller.label.split(' ')[0]}")


def request_key(request: dict, documents: dict[str, dict]) -> str:
    """Equal for equal requests under equal policy documents: decisions are cached by it."""
    used = [documents.get(p) for p in (*request["identity"], *request["boundary"], request["resource_policy"]) if p]
    text = json.dumps([request, used], sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()
