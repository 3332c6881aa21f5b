"""The model registry: one SageMaker model package group per model. RETAIN: a group holds the
lineage of every registered model (and CloudFormation cannot delete a non-empty group)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from infra.settings import pascal
from mlops.config import StageConfig


class ModelRegistry(Construct):
    """`groups`: model name -> CfnModelPackageGroup."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.groups: dict[str, sagemaker.CfnModelPackageGroup] = {}
        for model in config.models:
            group = sagemaker.CfnModelPackageGroup(
                self, pascal(model.name),
                model_package_group_name=model.model_package_group_name,
                model_package_group_description=f"Models trained for {model.name} by {config.stack_name}",
            )
            group.apply_removal_policy(cdk.RemovalPolicy.RETAIN)
            self.groups[model.name] = group
