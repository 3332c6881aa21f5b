"""What every SageMaker job request of the pipeline carries for security, in one place:

- network isolation: the container can make no network call at all (not to S3, not to the
  internet); SageMaker itself moves the inputs in and the outputs out. The job code therefore
  travels as the `code` input channel, and `sagemaker_submit_directory` names its path in the
  container (DESIGN.md section 3 "Job code", as the SageMaker SDK does with
  `enable_network_isolation=True`);
- inter-container traffic encryption between the instances of one job;
- the stack key for the ML storage volume (`VolumeKmsKeyId`) as for the outputs;
- the stack's VPC, when the config has one.
"""

from __future__ import annotations

import posixpath

import aws_cdk as cdk

from infra.training_pipeline.common import JobSettings
from mlops_core.processing_request import network_config

CODE_CHANNEL = "code"
# Where SageMaker puts a training channel's files: /opt/ml/input/data/<channel>/.
CODE_CHANNEL_DIR = f"/opt/ml/input/data/{CODE_CHANNEL}"


def submit_directory(code_object_key: str) -> str:
    """`sagemaker_submit_directory` for the job archive at `code_object_key`: the file the
    `code` channel downloads, by the object's base name."""
    if cdk.Token.is_unresolved(code_object_key):
        raise ValueError("the job code's object key must be known at synth to name its path in the container")
    return f"{CODE_CHANNEL_DIR}/{posixpath.basename(code_object_key)}"


def code_channel(jobs: JobSettings) -> dict:
    return {
        "ChannelName": CODE_CHANNEL,
        "InputMode": "File",
        "DataSource": {"S3DataSource": {
            "S3DataType": "S3Prefix", "S3Uri": jobs.source_url, "S3DataDistributionType": "FullyReplicated",
        }},
    }


def isolation(jobs: JobSettings) -> dict:
    """The same three members in CreateTrainingJob (top level), a tuning job's
    TrainingJobDefinition and CreateProcessingJob's NetworkConfig."""
    return network_config(jobs.network.vpc_config() if jobs.network else None)
