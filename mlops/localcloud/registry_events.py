"""The model registry's EventBridge events, which moto does not send.

SageMaker sends `SageMaker Model Package State Change` (source `aws.sagemaker`) when a
model package is created and when its approval status changes, by any route (console,
UpdateModelPackage, `mlops approve`). The detail is the package as DescribeModelPackage shows
it, timestamps as ISO strings; `resources` holds the package ARN (AWS's documented example:
docs "Events that Amazon SageMaker sends to Amazon EventBridge", Model package state change).

Also here: UpdateModelPackage as AWS does it. moto replaces CustomerMetadataProperties and
ApprovalDescription with whatever the request carries (nothing, for an approval), which would
wipe a package's lineage on every approval; AWS updates only what the request names.
And DeleteModelPackage, which moto lacks (`mlops teardown` removes versions with it).
"""

from __future__ import annotations

import datetime

from mlops.localcloud.event_shapes import service_event

DETAIL_TYPE = "SageMaker Model Package State Change"
SOURCE = "aws.sagemaker"


def state_change_event(package, *, account: str, region: str) -> dict:
    """The event for moto's ModelPackage `package`, as SageMaker sends it."""
    detail = _json_compatible(package.gen_response_object())
    return service_event(source=SOURCE, detail_type=DETAIL_TYPE, account=account, region=region,
                         resources=[package.arn], detail=detail)


def merged_update(package, *, approval_description, customer_metadata_properties, to_remove) -> dict:
    """The UpdateModelPackage arguments that leave unnamed fields as they are (AWS semantics):
    metadata given is merged into the package's, keys to remove are removed by moto."""
    metadata = dict(package.customer_metadata_properties or {})
    metadata.update(customer_metadata_properties or {})
    return {
        "approval_description": approval_description if approval_description is not None
        else package.approval_description,
        "customer_metadata_properties": metadata,
        "customer_metadata_properties_to_remove": list(to_remove or []),
    }


def _json_compatible(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {k: _json_compatible(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_json_compatible(v) for v in value]
    return value


_state = {"installed": False, "deliver": None}


def install(*, deliver) -> None:
    """Patch moto's SageMaker backend (once per process) to send the events through `deliver`
    (account, region, event), the path every other embedded-cloud event takes."""
    _state["deliver"] = deliver
    if _state["installed"]:
        return
    from moto.sagemaker.models import SageMakerModelBackend

    create, update = SageMakerModelBackend.create_model_package, SageMakerModelBackend.update_model_package

    def create_model_package(self, *args, **kwargs):
        arn = create(self, *args, **kwargs)
        _emit(self, self.model_packages[arn])
        return arn

    def update_model_package(self, model_package_arn, model_approval_status, approval_description,
                             customer_metadata_properties, customer_metadata_properties_to_remove,
                             additional_inference_specifications_to_add):
        package = self.model_packages.get(self.model_package_name_mapping.get(model_package_arn, model_package_arn))
        if package is None:  # moto answers with the ValidationException AWS sends
            return update(self, model_package_arn, model_approval_status, approval_description,
                          customer_metadata_properties, customer_metadata_properties_to_remove,
                          additional_inference_specifications_to_add)
        before = package.model_approval_status
        arn = update(self, model_package_arn, model_approval_status or before,
                     additional_inference_specifications_to_add=additional_inference_specifications_to_add,
                     **merged_update(package, approval_description=approval_description,
                                     customer_metadata_properties=customer_metadata_properties,
                                     to_remove=customer_metadata_properties_to_remove))
        if package.model_approval_status != before:
            _emit(self, package)
        return arn

    SageMakerModelBackend.create_model_package = create_model_package
    SageMakerModelBackend.update_model_package = update_model_package
    _install_delete()
    _state["installed"] = True


def _install_delete() -> None:
    from moto.core.responses import ActionResult
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import SageMakerModelBackend
    from moto.sagemaker.responses import SageMakerResponse

    def delete_model_package(self, model_package_name: str) -> None:
        arn = self.model_package_name_mapping.get(model_package_name, model_package_name)
        package = self.model_packages.pop(arn, None)
        if package is None:
            raise ValidationError(f"Model package {model_package_name} not found")
        for name, mapped in list(self.model_package_name_mapping.items()):
            if mapped == arn:
                del self.model_package_name_mapping[name]

    def delete_model_package_response(self) -> ActionResult:
        self.sagemaker_backend.delete_model_package(self._get_param("ModelPackageName"))
        return ActionResult({})

    SageMakerModelBackend.delete_model_package = delete_model_package
    SageMakerResponse.delete_model_package = delete_model_package_response


def _emit(backend, package) -> None:
    deliver = _state["deliver"]
    if deliver is not None:
        deliver(backend.account_id, backend.region_name,
                state_change_event(package, account=backend.account_id, region=backend.region_name))
