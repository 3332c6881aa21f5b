"""What every SageMaker Processing job of the pipeline shares: the job-code entrypoint, S3
inputs, cluster resources (with the encrypted volume), network isolation and runtime limit,
read from the model's settings at run time."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn

from infra.training_pipeline.common import JobSettings
from infra.training_pipeline.job_security import isolation

PROCESSING = "/opt/ml/processing"
CODE_DIR = f"{PROCESSING}/input/code"


def entrypoint(script: str) -> list[str]:
    """Unpack the job code and run `script`. The code input lands under the S3 object's own
    name (CDK calls it `<asset hash>.gz`), so extract whatever archive is there."""
    name = script.removesuffix(".py")
    return ["/bin/sh", "-c", f'cd {CODE_DIR} && tar -xzf ./*.gz && exec python3 {script} "$@"', name]


def s3_input(name: str, uri: str, local_path: str) -> dict:
    return {"InputName": name, "S3Input": {
        "S3Uri": uri, "LocalPath": local_path, "S3DataType": "S3Prefix", "S3InputMode": "File",
    }}


def cluster_config(resources: str, jobs: JobSettings) -> dict:
    """ProcessingResources from the settings object at JSONPath `resources`."""
    return {"ClusterConfig": {
        "InstanceType": sfn.JsonPath.string_at(f"{resources}.instance_type"),
        "InstanceCount": sfn.JsonPath.number_at(f"{resources}.instance_count"),
        "VolumeSizeInGB": sfn.JsonPath.number_at(f"{resources}.volume_size_gb"),
        "VolumeKmsKeyId": jobs.volume_key_arn,
    }}


def network_config(jobs: JobSettings) -> dict:
    """Inputs and outputs still flow: SageMaker moves them, not the isolated container."""
    return isolation(jobs)


def stopping_condition(resources: str) -> dict:
    return {"MaxRuntimeInSeconds": sfn.JsonPath.number_at(f"{resources}.max_runtime_seconds")}
