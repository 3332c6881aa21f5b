"""Training: a SageMaker script-mode training job (aws-sdk createTrainingJob, polled with
describeTrainingJob). The job code and entry point travel in the hyperparameters of the
model's settings (`sagemaker_submit_directory`, `sagemaker_program`)."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, fail_state, job_tags, sagemaker_job_loop

# Every name train.py may print (contracts.md "SageMaker jobs"); unprinted ones stay empty.
METRIC_NAMES = (
    "train:accuracy", "validation:accuracy", "validation:f1",
    "train:rmse", "validation:rmse", "validation:mae", "validation:r2",
)
RESULT_PATH = "$.training"


def metric_definitions() -> list[dict[str, str]]:
    return [{"Name": name, "Regex": f"{name}=([-+0-9.eE]+)"} for name in METRIC_NAMES]


def train_stage(
    scope: Construct, *, jobs: JobSettings, iam_resources: list[str], next_state: sfn.IChainable,
) -> sfn.IChainable:
    resources = "$.settings.training"
    create = tasks.CallAwsService(
        scope, "CreateTrainingJob",
        service="sagemaker",
        action="createTrainingJob",
        iam_resources=iam_resources,
        parameters={
            "TrainingJobName": sfn.JsonPath.string_at("$.jobs.training"),
            "RoleArn": jobs.role_arn,
            "AlgorithmSpecification": {
                "TrainingImage": jobs.training_image,
                "TrainingInputMode": "File",
                "MetricDefinitions": metric_definitions(),
            },
            "HyperParameters": sfn.JsonPath.object_at("$.settings.hyperparameters"),
            "InputDataConfig": [{
                "ChannelName": "train",
                "ContentType": "text/csv",
                "DataSource": {"S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": sfn.JsonPath.string_at("$.paths.train"),
                    "S3DataDistributionType": "FullyReplicated",
                }},
            }],
            "OutputDataConfig": {
                "S3OutputPath": sfn.JsonPath.string_at("$.paths.training_output"),
                "KmsKeyId": jobs.output_key_arn,
            },
            "ResourceConfig": {
                "InstanceType": sfn.JsonPath.string_at(f"{resources}.instance_type"),
                "InstanceCount": sfn.JsonPath.number_at(f"{resources}.instance_count"),
                "VolumeSizeInGB": sfn.JsonPath.number_at(f"{resources}.volume_size_gb"),
            },
            "StoppingCondition": {
                "MaxRuntimeInSeconds": sfn.JsonPath.number_at(f"{resources}.max_runtime_seconds"),
            },
            "Tags": job_tags(),
        },
        result_path=RESULT_PATH,
    )
    describe = tasks.CallAwsService(
        scope, "DescribeTrainingJob",
        service="sagemaker",
        action="describeTrainingJob",
        iam_resources=iam_resources,
        parameters={"TrainingJobName": sfn.JsonPath.string_at("$.jobs.training")},
        result_path=RESULT_PATH,
    )
    return sagemaker_job_loop(
        scope, kind="Training", create=create, describe=describe, result_path=RESULT_PATH,
        status_field="TrainingJobStatus", job_name_path="$.jobs.training",
        failed=fail_state(scope, "TrainingFailed"), next_state=next_state,
    )
