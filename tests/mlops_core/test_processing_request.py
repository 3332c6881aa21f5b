"""The shared CreateProcessingJob pieces make requests SageMaker's own model accepts, and the
monitor's large-check job is built from them (keys and VPC only when there are some)."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.validate import ParamValidator

from mlops_core.monitoring.processing_job import JobEnvironment, processing_request
from mlops_core.processing_request import (
    CODE_DIR,
    app_specification,
    cluster_config,
    entrypoint,
    network_config,
    output_config,
    s3_input,
    stopping_condition,
)

VPC = {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0123456789abcdef0"]}
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _invalid(request: dict) -> str:
    """What botocore's parameter validation (the client's own check) says of a request."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    report = ParamValidator().validate(request, model.operation_model("CreateProcessingJob").input_shape)
    return report.generate_report()


def _monitor_job(env: JobEnvironment, resources: dict | None = None) -> dict:
    return processing_request(
        job_name="penguins-dq-20261127t1000z", arguments=["--check=data-quality"],
        captures=["s3://artifacts/data-capture/ep/AllTraffic/2026/11/27/10/"],
        extra_inputs={"statistics": "s3://artifacts/baseline/statistics.json"},
        output_uri="s3://artifacts/monitoring/report/", env=env, resources=resources or {})


def _env(**changes) -> JobEnvironment:
    values = {"role_arn": "arn:aws:iam::123456789012:role/jobs", "image_uri": "image", "code_uri": "s3://code/a.gz",
              "kms_key_arn": None, "vpc_config": None}
    return JobEnvironment(**{**values, **changes})


def test_a_request_from_the_pieces_is_valid_for_sagemaker():
    request = {
        "ProcessingJobName": "job", "RoleArn": "arn:aws:iam::123456789012:role/jobs",
        "AppSpecification": app_specification("image", "evaluate.py", ["--a=1"]),
        "ProcessingInputs": [s3_input("code", "s3://code/a.gz", CODE_DIR)],
        "ProcessingOutputConfig": output_config("out", "s3://out/", "/opt/ml/processing/out", kms_key_id=KEY),
        "ProcessingResources": cluster_config(instance_type="ml.m5.large", instance_count=2, volume_size_gb=30,
                                              volume_kms_key_id=KEY),
        "NetworkConfig": network_config(VPC),
        "StoppingCondition": stopping_condition(3600),
    }
    assert _invalid(request) == ""


@pytest.mark.parametrize("env", [_env(), _env(kms_key_arn=KEY, vpc_config=VPC)], ids=["plain", "key-and-vpc"])
def test_the_monitors_job_request_is_valid_for_sagemaker(env):
    assert _invalid(_monitor_job(env)) == ""


def test_a_broken_piece_is_caught_by_the_same_check():
    # The check above would pass whatever it is given if botocore validated nothing.
    request = _monitor_job(_env())
    request["ProcessingResources"] = cluster_config(instance_type="ml.m5.large", instance_count="two",
                                                    volume_size_gb=30)
    assert "ProcessingResources.ClusterConfig.InstanceCount" in _invalid(request)


def test_the_entrypoint_unpacks_the_code_archive_and_passes_the_arguments_on():
    shell, flag, command, name = entrypoint("monitor.py")
    assert (shell, flag, name) == ("/bin/sh", "-c", "monitor")
    assert command == f'cd {CODE_DIR} && tar -xzf ./*.gz && exec python3 monitor.py "$@"'


def test_keys_and_vpc_are_left_out_when_there_are_none():
    job = _monitor_job(_env())
    assert "KmsKeyId" not in job["ProcessingOutputConfig"]
    assert "VolumeKmsKeyId" not in job["ProcessingResources"]["ClusterConfig"]
    assert job["NetworkConfig"] == {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True}


def test_the_monitors_job_uses_the_stacks_key_and_vpc_and_the_models_resources():
    job = _monitor_job(_env(kms_key_arn=KEY, vpc_config=VPC),
                       {"instance_type": "ml.c5.xlarge", "instance_count": 4, "volume_size_gb": "50",
                        "max_runtime_seconds": 600})
    assert job["ProcessingOutputConfig"]["KmsKeyId"] == KEY
    assert job["ProcessingResources"] == {"ClusterConfig": {
        "InstanceType": "ml.c5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50, "VolumeKmsKeyId": KEY}}
    assert job["NetworkConfig"]["VpcConfig"] == VPC
    assert job["StoppingCondition"] == {"MaxRuntimeInSeconds": 600}
    inputs = {i["InputName"]: (i["S3Input"]["S3Uri"], i["S3Input"]["LocalPath"]) for i in job["ProcessingInputs"]}
    assert inputs == {"code": ("s3://code/a.gz", CODE_DIR),
                      "capture-0": ("s3://artifacts/data-capture/ep/AllTraffic/2026/11/27/10/",
                                    "/opt/ml/processing/capture/0"),
                      "statistics": ("s3://artifacts/baseline/statistics.json", "/opt/ml/processing/statistics")}
    assert job["AppSpecification"]["ContainerEntrypoint"] == entrypoint("monitor.py")
    assert job["AppSpecification"]["ContainerArguments"] == [
        "--check=data-quality", "--capture-dir=/opt/ml/processing/capture", "--output-dir=/opt/ml/processing/output",
        "--statistics-dir=/opt/ml/processing/statistics"]


def test_the_pieces_carry_jsonpath_values_unchanged():
    # The state machine passes JSONPath strings and CDK tokens: nothing may read or convert them.
    cluster = cluster_config(instance_type="${Token[TOKEN.1]}", instance_count=-1.8881545897087626e+289,
                             volume_size_gb=-1.8881545897087868e+289, volume_kms_key_id="${Token[TOKEN.2]}")
    assert cluster == {"ClusterConfig": {"InstanceType": "${Token[TOKEN.1]}",
                                         "InstanceCount": -1.8881545897087626e+289,
                                         "VolumeSizeInGB": -1.8881545897087868e+289,
                                         "VolumeKmsKeyId": "${Token[TOKEN.2]}"}}
    assert stopping_condition(-1.8881545897088e+289) == {"MaxRuntimeInSeconds": -1.8881545897088e+289}
