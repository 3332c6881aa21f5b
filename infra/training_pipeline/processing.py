"""The Processing job request pieces (mlops_core.processing_request) bound to the state
machine's data: cluster resources and runtime limit read from the model's settings at run
time, the stack's keys and network."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn

from infra.training_pipeline.common import JobSettings
from infra.training_pipeline.job_security import isolation
from mlops_core import processing_request


def cluster_config(resources: str, jobs: JobSettings) -> dict:
    """ProcessingResources from the settings object at JSONPath `resources`."""
    return processing_request.cluster_config(
        instance_type=sfn.JsonPath.string_at(f"{resources}.instance_type"),
        instance_count=sfn.JsonPath.number_at(f"{resources}.instance_count"),
        volume_size_gb=sfn.JsonPath.number_at(f"{resources}.volume_size_gb"),
        volume_kms_key_id=jobs.volume_key_arn,
    )


def network_config(jobs: JobSettings) -> dict:
    """Inputs and outputs still flow: SageMaker moves them, not the isolated container."""
    return isolation(jobs)


def stopping_condition(resources: str) -> dict:
    return processing_request.stopping_condition(sfn.JsonPath.number_at(f"{resources}.max_runtime_seconds"))
