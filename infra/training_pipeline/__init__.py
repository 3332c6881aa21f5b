"""The training state machine, one module per stage; `pipeline.TrainingPipeline` composes them."""

from infra.training_pipeline.common import JobSettings
from infra.training_pipeline.pipeline import TrainingPipeline

__all__ = ["JobSettings", "TrainingPipeline"]
