"""The resource an IAM action is authorized on, from the request's parameters.

The ARN is built from the action's resource types and ARN formats in AWS's own catalogue
(`iam_data`), filled from the parameters by name, or taken from an ARN parameter that fits the
format. An action whose only resource types are optional and unnamed is authorized on "*".
"""

from __future__ import annotations

from mlops.localcloud.iam import iam_data
from mlops.localcloud.iam.authorization import Authorization, Unmapped, pairs
from mlops.localcloud.iam.moto_state import Where


def generic(action: str, params: dict, where: Where, extra_keys: dict | None = None) -> list[Authorization]:
    canonical = iam_data.action_name(action)
    if canonical is None:
        raise Unmapped(f"{action}: AWS has no such IAM action and no rule maps this operation to one")
    keys = pairs({**request_tags(params), **(extra_keys or {})})
    return [Authorization(canonical, arn, keys) for arn in resources(canonical, params, where)]


def resources(action: str, params: dict, where: Where) -> list[str]:
    """The ARNs `action` is authorized on, from the request parameters.

    AWS's catalogue marks resource types required or optional. Required ones are sometimes all
    needed (CreateTrial: the experiment and the trial, both named in the request) and sometimes
    alternatives (DescribeExecution: a standard or an express execution): the action is
    authorized on each required one the request names, and at least one must be named. Optional
    types count when the request names them by ARN; an action with only optional types is
    authorized on the first one the request names, else on "*" (like an action with none)."""
    types = iam_data.resource_types(action)
    arns = [v for v in params.values() if isinstance(v, str) and v.startswith("arn:")]
    values = _template_values(params, where)
    required = [t for t in types if t.required]
    found = [arn for arn in (_resolve(t.arn_template, arns, values) for t in required) if arn]
    if required and not found:
        named = ", ".join(sorted(params)) or "no parameters"
        raise Unmapped(f"{action}: cannot tell which {required[0].name} it acts on from the request ({named})")
    optional = [t for t in types if not t.required]
    if found:
        named = [a for t in optional for a in arns if iam_data.arn_fits(t.arn_template, a)]
        return list(dict.fromkeys(found + named))
    for resource_type in optional:
        arn = _resolve(resource_type.arn_template, arns, values)
        if arn:
            return [arn]
    return ["*"]


def _resolve(template: str, arns: list[str], values: dict[str, str]) -> str | None:
    """An ARN parameter that fits `template`, else `template` filled from the parameters."""
    return next((a for a in arns if iam_data.arn_fits(template, a)), None) or iam_data.fill_template(template, values)


def _template_values(params: dict, where: Where) -> dict[str, str]:
    """Values for ARN template variables: the pseudo ones, then parameters by name (any case),
    then the few whose variable name differs from the parameter's."""
    values = {"partition": where.partition, "region": where.region, "account": where.account}
    for name, value in params.items():
        if isinstance(value, (str, int)) and not str(value).startswith("arn:"):
            values.setdefault(name.lower(), str(value))
    derived = {
        "bucketname": params.get("Bucket"), "objectname": params.get("Key"),
        "parameternamewithoutleadingslash": str(params.get("Name") or "").lstrip("/") or None,
        "queuename": str(params.get("QueueUrl") or "").rstrip("/").rsplit("/", 1)[-1] or None,
        "rolenamewithpath": params.get("RoleName"),
        # SageMaker's data-quality-job-definition ARN names its variable after the resource.
        "dataqualityjobdefinitionname": params.get("JobDefinitionName"),
    }
    values.update({k: v for k, v in derived.items() if v and k not in values})
    return values


def request_tags(params: dict) -> dict:
    """aws:RequestTag/<key> and aws:TagKeys for the tags a request attaches."""
    tags = params.get("Tags") or params.get("tags") or {}
    if isinstance(tags, list):
        tags = {t.get("Key", t.get("key")): t.get("Value", t.get("value", "")) for t in tags if isinstance(t, dict)}
    if not isinstance(tags, dict) or not tags:
        return {}
    return {"aws:TagKeys": list(tags), **{f"aws:RequestTag/{k}": v for k, v in tags.items()}}
