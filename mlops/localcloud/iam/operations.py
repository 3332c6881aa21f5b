"""From an API call (service, operation, parameters) to the IAM authorizations AWS checks for it.

Most operations are authorized as `<service prefix>:<Operation>` on the resource their
parameters name (`resolution`). The exceptions live in `s3_operations` and `service_rules`.
Passing a role to a service (a `RoleArn` parameter, at any depth) also needs iam:PassRole on
it, with `iam:PassedToService` naming the service.
"""

from __future__ import annotations

from mlops.localcloud.iam import s3_operations, service_rules
from mlops.localcloud.iam.authorization import Authorization, pairs
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.resolution import generic

# boto3 service name -> IAM action prefix, where they differ.
_PREFIXES = {"stepfunctions": "states", "sagemaker-runtime": "sagemaker", "elbv2": "elasticloadbalancing"}
_PASSED_ROLE_PARAMETERS = ("RoleArn", "ExecutionRoleArn", "roleArn")
_NO_PERMISSION_NEEDED = {("sts", "GetCallerIdentity")}  # AWS answers it for every principal


def authorizations(service: str, operation: str, params: dict, where: Where) -> list[Authorization]:
    if (service, operation) in _NO_PERMISSION_NEEDED:
        return []
    if service == "s3":
        return s3_operations.authorizations(operation, params, where)
    prefix = _PREFIXES.get(service, service)
    special = service_rules.RULES.get(prefix)
    found = special(operation, params, where) if special else None
    if found is None:
        found = generic(f"{prefix}:{operation}", params, where)
    if prefix != "sts":  # sts:AssumeRole's RoleArn is the role assumed, not a role passed
        found += pass_role(params, f"{prefix}.amazonaws.com")
    return found


def pass_role(params: dict, service_principal: str) -> list[Authorization]:
    """iam:PassRole for every role the request hands to the service, at any depth."""
    out = []
    for role_arn in _values_named(params, _PASSED_ROLE_PARAMETERS):
        keys = pairs({"iam:PassedToService": service_principal})
        note = f"the request passes the role to {service_principal}"
        out.append(Authorization("iam:PassRole", role_arn, keys, note=note))
    return out


def _values_named(value, names: tuple[str, ...]) -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in names and isinstance(item, str) and item.startswith("arn:"):
                found.append(item)
            else:
                found += _values_named(item, names)
    elif isinstance(value, list):
        for item in value:
            found += _values_named(item, names)
    return found
