"""The new model and its endpoint config, both named `names.model` (`<model>-<hash>`).

CreateModel builds the SageMaker model from the registry (`PrimaryContainer.ModelPackageName`:
image, model data and environment come from the package), run by the SageMaker execution
role. CreateEndpointConfig: one production variant named `names.variant` (the same name in
every config, as blue/green updates require), data capture to S3 with the stack key, and the
stack key for the instances' volumes.
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import Arns, ServingResources, catch_all, data_capture, resource_tags, sagemaker
from infra.deployment_pipeline.outcome import Endings


def create_model_stage(scope: Construct, *, arns: Arns, resources: ServingResources, endings: Endings,
                       next_state: sfn.IChainable) -> sfn.IChainable:
    model = sagemaker(scope, "CreateModel", "createModel", arns.models, {
        "ModelName": sfn.JsonPath.string_at("$.names.model"),
        "PrimaryContainer": {"ModelPackageName": sfn.JsonPath.string_at("$.model_package_arn")},
        "ExecutionRoleArn": resources.role_arn,
        "Tags": resource_tags(),
    })
    config = sagemaker(scope, "CreateEndpointConfig", "createEndpointConfig", arns.endpoint_configs, {
        "EndpointConfigName": sfn.JsonPath.string_at("$.names.endpoint_config"),
        "ProductionVariants": [{
            "VariantName": sfn.JsonPath.string_at("$.names.variant"),
            "ModelName": sfn.JsonPath.string_at("$.names.model"),
            "InstanceType": sfn.JsonPath.string_at("$.serving.instance_type"),
            "InitialInstanceCount": sfn.JsonPath.number_at("$.serving.instance_count"),
            "InitialVariantWeight": 1,
        }],
        "DataCaptureConfig": data_capture(resources),
        "KmsKeyId": resources.key_arn,
        "Tags": resource_tags(),
    })
    for task in (model, config):
        catch_all(task, endings.record_failure)
    return model.next(config).next(next_state)
