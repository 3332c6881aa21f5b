"""SageMaker: condition keys from the request, tag-on-create, versioned model packages, and
ARNs checked in both spellings."""

from __future__ import annotations

from dataclasses import replace

from mlops.localcloud.iam import iam_data, moto_state
from mlops.localcloud.iam.authorization import Authorization, pairs
from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.resolution import generic, request_tags

# SageMaker condition keys -> the request member that carries each (found at any depth).
_SAGEMAKER_KEYS = {
    "sagemaker:InstanceTypes": "InstanceType", "sagemaker:MaxRuntimeInSeconds": "MaxRuntimeInSeconds",
    "sagemaker:VolumeKmsKeyArn": "VolumeKmsKeyId", "sagemaker:VpcSubnets": "Subnets",
    "sagemaker:VpcSecurityGroupIds": "SecurityGroupIds", "sagemaker:ModelApprovalStatus": "ModelApprovalStatus",
}
_SAGEMAKER_FLAGS = {"sagemaker:NetworkIsolation": "EnableNetworkIsolation",
                    "sagemaker:InterContainerTrafficEncryption": "EnableInterContainerTrafficEncryption"}


def sagemaker_rule(operation: str, params: dict, where: Where) -> list[Authorization] | None:
    action = iam_data.action_name(f"sagemaker:{operation}") or f"sagemaker:{operation}"
    keys = _sagemaker_keys(action, params)
    group = params.get("ModelPackageGroupName")
    if operation == "CreateModelPackage" and group:
        # A versioned package's ARN is model-package/<group>/<version>: SageMaker numbers them.
        group = group.rsplit("model-package-group/", 1)[-1]
        version = moto_state.next_model_package_version(where, group)
        arn = f"arn:{where.partition}:sagemaker:{where.region}:{where.account}:model-package/{group}/{version}"
        found = [Authorization(action, arn, pairs({**request_tags(params), **keys}))]
    else:
        found = generic(action, params, where, keys)
    if operation.startswith("Create") and request_tags(params):
        note = "creating a SageMaker resource with tags also needs sagemaker:AddTags on it"
        found += [Authorization("sagemaker:AddTags", arn, pairs(request_tags(params)), note=note)
                  for arn in _created(operation, params, found)]
    return _both_spellings(found)


def _created(operation: str, params: dict, found: list[Authorization]) -> list[str]:
    """The resource a Create* call creates: the one named by its `<Noun>Name` parameter
    (CreateTrial is authorized on the experiment too, but tags only the trial)."""
    name = params.get(f"{operation[len('Create'):]}Name")
    named = [a.resource for a in found if name and a.resource.endswith(f"/{name}")]
    return named or [found[0].resource]


def _sagemaker_keys(action: str, params: dict) -> dict:
    allowed = {k.lower() for k in iam_data.condition_keys(action)}
    keys = {key: _find(params, member) for key, member in _SAGEMAKER_KEYS.items()}
    keys.update({key: bool(_find(params, member)) for key, member in _SAGEMAKER_FLAGS.items()})
    output = params.get("OutputDataConfig") or params.get("ProcessingOutputConfig") or {}
    keys["sagemaker:OutputKmsKeyArn"] = output.get("KmsKeyId") if isinstance(output, dict) else None
    return {k: v for k, v in keys.items() if k.lower() in allowed}


def _find(value, member: str):
    """The first value of `member` anywhere in the request (lists of them merged)."""
    if isinstance(value, dict):
        if member in value:
            return value[member]
        value = list(value.values())
    if isinstance(value, list):
        found = [f for f in (_find(v, member) for v in value) if f is not None]
        if found:
            return found[0] if len(found) == 1 else [x for f in found for x in (f if isinstance(f, list) else [f])]
    return None


def _both_spellings(found: list[Authorization]) -> list[Authorization]:
    # SageMaker shows many ARNs with the resource name in lower case (jobs, the registry) and
    # others as created; a policy must allow both spellings for the call to pass in AWS.
    extra = [replace(a, resource=a.resource.lower(), note=a.note or "SageMaker may use the lower-case ARN")
             for a in found if a.resource.startswith("arn:") and a.resource != a.resource.lower()]
    return found + extra
