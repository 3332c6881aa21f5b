"""The pieces of a SageMaker CreateProcessingJob request that every Processing job of the stack
shares, defined once: the job-code entrypoint, S3 inputs, one S3 output, cluster resources,
network isolation and the runtime limit.

Two callers build requests from them: the MonitorEndpoint Lambda (plain values, at run time)
and the CDK state machine fragments (infra/training_pipeline, values that are often JSONPath
strings or deploy-time tokens resolved by Step Functions or CloudFormation). So the functions
only place values where the API wants them and never read, convert or check them.
"""

from __future__ import annotations

from typing import Any

PROCESSING = "/opt/ml/processing"
CODE_DIR = f"{PROCESSING}/input/code"


def entrypoint(script: str) -> list[str]:
    """Unpack the job code and run `script`. The code input lands under the S3 object's own
    name (CDK calls it `<asset hash>.gz`), so extract whatever archive is there; the last item
    is `$0` of the shell, the arguments follow it."""
    name = script.removesuffix(".py")
    return ["/bin/sh", "-c", f'cd {CODE_DIR} && tar -xzf ./*.gz && exec python3 {script} "$@"', name]


def app_specification(image_uri: str, script: str, arguments: Any) -> dict[str, Any]:
    """`arguments`: a list of strings, or a JSONPath `States.Array(...)` that builds one."""
    return {"ImageUri": image_uri, "ContainerEntrypoint": entrypoint(script), "ContainerArguments": arguments}


def s3_input(name: str, uri: str, local_path: str) -> dict[str, Any]:
    """A ProcessingInput copying every object under the S3 prefix `uri` to `local_path`."""
    return {"InputName": name, "S3Input": {
        "S3Uri": uri, "LocalPath": local_path, "S3DataType": "S3Prefix", "S3InputMode": "File",
    }}


def output_config(name: str, uri: str, local_path: str, *, kms_key_id: str | None = None) -> dict[str, Any]:
    """ProcessingOutputConfig with one output, uploaded when the job ends (also when it fails)."""
    config: dict[str, Any] = {"Outputs": [{"OutputName": name, "S3Output": {
        "S3Uri": uri, "LocalPath": local_path, "S3UploadMode": "EndOfJob",
    }}]}
    if kms_key_id:  # none (or an empty setting): SageMaker's own key
        config["KmsKeyId"] = kms_key_id
    return config


def cluster_config(*, instance_type: Any, instance_count: Any, volume_size_gb: Any,
                   volume_kms_key_id: str | None = None) -> dict[str, Any]:
    """ProcessingResources. The sizes are numbers, or JSONPath/number tokens on the CDK side."""
    cluster = {"InstanceType": instance_type, "InstanceCount": instance_count, "VolumeSizeInGB": volume_size_gb}
    if volume_kms_key_id:
        cluster["VolumeKmsKeyId"] = volume_kms_key_id
    return {"ClusterConfig": cluster}


def network_config(vpc_config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every job of the stack is network-isolated: the container can call nothing, while
    SageMaker itself still moves the inputs in and the outputs out. The members are the same
    in CreateTrainingJob (top level) and a tuning job's TrainingJobDefinition."""
    network: dict[str, Any] = {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True}
    if vpc_config:
        network["VpcConfig"] = vpc_config
    return network


def stopping_condition(max_runtime_seconds: Any) -> dict[str, Any]:
    return {"MaxRuntimeInSeconds": max_runtime_seconds}
