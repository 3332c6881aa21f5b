"""The Processing job request pieces (mlops_core.processing_request) bound to the state
machine's data: cluster resources and runtime limit read from the model's settings at run
time, the stack's keys and network."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, job_tags
from infra.training_pipeline.job_security import isolation
from mlops_core import processing_request
from mlops_core.processing_request import CODE_DIR, PROCESSING, app_specification, s3_input

# Where a job on the uploaded object finds it.
DATA_DIR = f"{PROCESSING}/data"
# The resources every training-pipeline Processing job runs with (the model's settings).
RESOURCES = "$.settings.processing"


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


def uploaded_object_job(scope: Construct, *, kind: str, script: str, arguments: str, outputs: dict, jobs: JobSettings,
                        name_path: str, result_path: str,
                        iam_resources: list[str]) -> tuple[tasks.CallAwsService, tasks.CallAwsService]:
    """`Create<kind>` and `Describe<kind>`: a Processing job running the job archive's `script`
    on the uploaded object (input `data` at DATA_DIR, through its key: Processing inputs have no
    version id, so the scripts compare the size they read with the uploaded version's)."""
    name = sfn.JsonPath.string_at(name_path)
    create = tasks.CallAwsService(
        scope, f"Create{kind}",
        service="sagemaker",
        action="createProcessingJob",
        iam_resources=iam_resources,
        parameters={
            "ProcessingJobName": name,
            "RoleArn": jobs.role_arn,
            "AppSpecification": app_specification(jobs.training_image, script, arguments),
            "ProcessingInputs": [
                s3_input("code", jobs.source_url, CODE_DIR),
                s3_input("data", sfn.JsonPath.format("s3://{}/{}", sfn.JsonPath.string_at("$.data.bucket"),
                                                   sfn.JsonPath.string_at("$.data.key")), DATA_DIR),
            ],
            "ProcessingOutputConfig": outputs,
            "ProcessingResources": cluster_config(RESOURCES, jobs),
            "NetworkConfig": network_config(jobs),
            "StoppingCondition": stopping_condition(RESOURCES),
            "Tags": job_tags(),
        },
        result_path=result_path,
    )
    describe = tasks.CallAwsService(
        scope, f"Describe{kind}",
        service="sagemaker",
        action="describeProcessingJob",
        iam_resources=iam_resources,
        parameters={"ProcessingJobName": name},
        result_path=result_path,
    )
    return create, describe
