"""The deployment state machine: an approved model version -> the model's endpoint, by a
blue/green update with automatic rollback (pipeline.py composes the stages)."""

from infra.deployment_pipeline.common import ServingResources
from infra.deployment_pipeline.pipeline import DeploymentPipeline

__all__ = ["DeploymentPipeline", "ServingResources"]
