"""moto 5.2.5's SageMaker endpoint API, made to behave as SageMaker's (pinned exactly: this
touches its internals).

moto stores an endpoint as InService at once, serves nothing, has no UpdateEndpoint and drops
an endpoint config's ShadowProductionVariants. Here, while a controller is installed:
- CreateEndpointConfig keeps ShadowProductionVariants (checked like production variants);
- CreateEndpoint (with its DeploymentConfig) is checked, stored by moto, then run by the
  `EndpointController` (`Creating` -> `InService` | `Failed`);
- UpdateEndpoint is added to moto's backend and responses;
- DescribeEndpoint answers from the controller; DeleteEndpoint and
  UpdateEndpointWeightsAndCapacities change the fleets and routes too.
With no controller installed (plain mock_aws tests), moto's own behaviour is left as it was,
and UpdateEndpoint makes the new config active at once, as moto does everything.
"""

from __future__ import annotations

from types import SimpleNamespace

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from mlops.localcloud.serving.control.endpoint_requests import check_create, config_not_found, endpoint_not_found

_active = SimpleNamespace(controller=None)
_original: dict = {}
_PATCHED = ("create_endpoint_config", "create_endpoint", "describe_endpoint", "delete_endpoint",
            "update_endpoint_weights_and_capacities")


def release(controller) -> None:
    """`controller` is closing: back to moto's own behaviour, unless another one took over."""
    if _active.controller is controller:
        _active.controller = None


def install(controller) -> None:
    """Point the patches at `controller` (None: moto's own behaviour); patch moto once."""
    _active.controller = controller
    if _original:
        return
    for name in _PATCHED:
        _original[name] = getattr(SageMakerModelBackend, name)
    SageMakerModelBackend.create_endpoint_config = _create_endpoint_config
    SageMakerModelBackend.create_endpoint = _create_endpoint
    SageMakerModelBackend.describe_endpoint = _describe_endpoint
    SageMakerModelBackend.delete_endpoint = _delete_endpoint
    SageMakerModelBackend.update_endpoint_weights_and_capacities = _update_weights_and_capacities
    SageMakerModelBackend.update_endpoint = _update_endpoint
    SageMakerResponse.create_endpoint_config = _create_endpoint_config_response
    SageMakerResponse.create_endpoint = _create_endpoint_response
    SageMakerResponse.update_endpoint = _update_endpoint_response


def _create_endpoint_config(self, endpoint_config_name, production_variants, data_capture_config,
                            async_inference_config, tags, kms_key_id, shadow_production_variants=None):
    shadows = shadow_production_variants or []
    names = [v.get("VariantName") for v in (production_variants or []) + shadows]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValidationError(f"Variant names must be unique across ProductionVariants and "
                              f"ShadowProductionVariants: {', '.join(duplicates)} repeated.")
    self.validate_production_variants(shadows)  # their models must exist
    config = _original["create_endpoint_config"](self, endpoint_config_name, production_variants,
                                                 data_capture_config, async_inference_config, tags, kms_key_id)
    if shadows:
        try:
            config.validate_production_variants(shadows)  # instance types
        except ValidationError:
            del self.endpoint_configs[endpoint_config_name]
            raise
        config.shadow_production_variants = shadows  # DescribeEndpointConfig shows it
    return config


def _create_endpoint(self, endpoint_name, endpoint_config_name, tags, deployment_config=None):
    controller = _active.controller
    if controller is None:
        return _original["create_endpoint"](self, endpoint_name, endpoint_config_name, tags)
    check_create(self, endpoint_name, endpoint_config_name, deployment_config)
    record = _original["create_endpoint"](self, endpoint_name, endpoint_config_name, tags)
    controller.created(self, record, deployment_config)
    return record


def _describe_endpoint(self, endpoint_name):
    controller = _active.controller
    if controller is None or controller.state(self, endpoint_name) is None:
        return _original["describe_endpoint"](self, endpoint_name)
    return controller.describe(self, endpoint_name)


def _delete_endpoint(self, endpoint_name):
    controller = _active.controller
    if controller is not None and controller.state(self, endpoint_name) is not None:
        controller.delete(self, endpoint_name)
    return _original["delete_endpoint"](self, endpoint_name)


def _update_weights_and_capacities(self, endpoint_name, desired_weights_and_capacities):
    controller = _active.controller
    if controller is None or controller.state(self, endpoint_name) is None:
        return _original["update_endpoint_weights_and_capacities"](self, endpoint_name,
                                                                   desired_weights_and_capacities)
    return controller.update_weights_and_capacities(self, endpoint_name, desired_weights_and_capacities)


def _update_endpoint(self, endpoint_name, endpoint_config_name, *, deployment_config=None, retain_all=False,
                     exclude=None, retain_deployment_config=False) -> str:
    controller = _active.controller
    if controller is None:
        return _switch_at_once(self, endpoint_name, endpoint_config_name)
    return controller.update(self, endpoint_name, config_name=endpoint_config_name,
                             deployment_config=deployment_config, retain_all=bool(retain_all), exclude=exclude,
                             retain_deployment_config=bool(retain_deployment_config))


def _switch_at_once(backend, endpoint_name: str, endpoint_config_name: str) -> str:
    """UpdateEndpoint in moto's manner (plain mock_aws tests): the new config is active at once."""
    record = backend.endpoints.get(endpoint_name)
    if record is None:
        raise endpoint_not_found(backend, endpoint_name)
    if endpoint_config_name not in backend.endpoint_configs:
        raise config_not_found(backend, endpoint_config_name)
    config = backend.endpoint_configs[endpoint_config_name]
    record.endpoint_config_name = endpoint_config_name
    record.production_variants = record._process_production_variants(config.production_variants)
    record.data_capture_config = config.data_capture_config
    record.last_modified_time = utcnow()
    return record.arn


def _create_endpoint_config_response(self) -> ActionResult:
    config = self.sagemaker_backend.create_endpoint_config(
        endpoint_config_name=self._get_param("EndpointConfigName"),
        production_variants=self._get_param("ProductionVariants"),
        data_capture_config=self._get_param("DataCaptureConfig"),
        async_inference_config=self._get_param("AsyncInferenceConfig"),
        tags=self._get_param("Tags"),
        kms_key_id=self._get_param("KmsKeyId"),
        shadow_production_variants=self._get_param("ShadowProductionVariants"),
    )
    return ActionResult({"EndpointConfigArn": config.endpoint_config_arn})


def _create_endpoint_response(self) -> ActionResult:
    endpoint = self.sagemaker_backend.create_endpoint(
        endpoint_name=self._get_param("EndpointName"),
        endpoint_config_name=self._get_param("EndpointConfigName"),
        tags=self._get_param("Tags"),
        deployment_config=self._get_param("DeploymentConfig"),
    )
    return ActionResult({"EndpointArn": endpoint.arn})


def _update_endpoint_response(self) -> ActionResult:
    arn = self.sagemaker_backend.update_endpoint(
        self._get_param("EndpointName"), self._get_param("EndpointConfigName"),
        deployment_config=self._get_param("DeploymentConfig"),
        retain_all=self._get_param("RetainAllVariantProperties"),
        exclude=self._get_param("ExcludeRetainedVariantProperties"),
        retain_deployment_config=self._get_param("RetainDeploymentConfig"),
    )
    return ActionResult({"EndpointArn": arn})
