"""Training: one SageMaker script-mode training job, or a hyperparameter tuning job when the
model's settings enable tuning (`tuning.py`). Both end with the model that goes on described
at `$.training` (DescribeTrainingJob's shape), so evaluation and registration do not care which.

The entry point travels in the hyperparameters of the model's settings (`sagemaker_program`);
the job code comes in as the `code` channel, which `sagemaker_submit_directory` names in the
container, because the jobs run network-isolated (job_security.py).
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, fail_state, job_tags, sagemaker_job_loop
from infra.training_pipeline.job_security import code_channel, isolation
from infra.training_pipeline.lineage import experiment_config
from infra.training_pipeline.tuning import tuning_branch
from mlops.tuning_defaults import metric_names

# Every name train.py may print (contracts.md "SageMaker jobs"); unprinted ones stay empty.
METRIC_NAMES = metric_names()
RESULT_PATH = "$.training"
TUNING_ENABLED = "$.settings.tuning.enabled"


def metric_definitions() -> list[dict[str, str]]:
    return [{"Name": name, "Regex": f"{name}=([-+0-9.eE]+)"} for name in METRIC_NAMES]


def training_job_parts(jobs: JobSettings) -> dict[str, Any]:
    """What a training job and a tuning job's TrainingJobDefinition share: image, metrics,
    the `train` channel and the job code (tuning never sees the test split), output,
    resources, limits, network isolation."""
    resources = "$.settings.training"
    return {
        "RoleArn": jobs.role_arn,
        "AlgorithmSpecification": {
            "TrainingImage": jobs.training_image,
            "TrainingInputMode": "File",
            "MetricDefinitions": metric_definitions(),
        },
        "InputDataConfig": [{
            "ChannelName": "train",
            "ContentType": "text/csv",
            "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix",
                "S3Uri": sfn.JsonPath.string_at("$.paths.train"),
                "S3DataDistributionType": "FullyReplicated",
            }},
        }, code_channel(jobs)],
        "OutputDataConfig": {
            "S3OutputPath": sfn.JsonPath.string_at("$.paths.training_output"),
            "KmsKeyId": jobs.output_key_arn,
        },
        "ResourceConfig": {
            "InstanceType": sfn.JsonPath.string_at(f"{resources}.instance_type"),
            "InstanceCount": sfn.JsonPath.number_at(f"{resources}.instance_count"),
            "VolumeSizeInGB": sfn.JsonPath.number_at(f"{resources}.volume_size_gb"),
            "VolumeKmsKeyId": jobs.volume_key_arn,
        },
        "StoppingCondition": {
            "MaxRuntimeInSeconds": sfn.JsonPath.number_at(f"{resources}.max_runtime_seconds"),
        },
        **isolation(jobs),
    }


def train_stage(
    scope: Construct, *, jobs: JobSettings, iam_resources: list[str], tuning_resources: list[str],
    trial_resources: list[str], next_state: sfn.IChainable,
) -> sfn.IChainable:
    """Choice on `settings.tuning.enabled` (absent = off) between the two ways of training.
    `iam_resources`: training job ARNs; `tuning_resources`: tuning job ARNs; `trial_resources`:
    the training job ARNs of tuning trials."""
    failed = fail_state(scope, "TrainingFailed")
    single = _single_job(scope, jobs=jobs, iam_resources=iam_resources, failed=failed, next_state=next_state)
    tuned = tuning_branch(scope, definition=training_job_parts(jobs), iam_resources=tuning_resources,
                          trial_resources=trial_resources, failed=failed, next_state=next_state)
    # Two Choices: `enabled` may only be compared once it is known to exist.
    enabled = (sfn.Choice(scope, "TuningEnabled")
               .when(sfn.Condition.boolean_equals(TUNING_ENABLED, True), tuned)
               .otherwise(single))
    return (sfn.Choice(scope, "TrainingMode")
            .when(sfn.Condition.is_present(TUNING_ENABLED), enabled)
            .otherwise(single))


def _single_job(scope: Construct, *, jobs: JobSettings, iam_resources: list[str], failed: sfn.Fail,
                next_state: sfn.IChainable) -> sfn.IChainable:
    create = tasks.CallAwsService(
        scope, "CreateTrainingJob",
        service="sagemaker",
        action="createTrainingJob",
        iam_resources=iam_resources,
        parameters={
            "TrainingJobName": sfn.JsonPath.string_at("$.jobs.training"),
            "HyperParameters": sfn.JsonPath.object_at("$.settings.hyperparameters"),
            **training_job_parts(jobs),
            "ExperimentConfig": experiment_config("training"),  # lineage.py: the run's trial
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
        failed=failed, next_state=next_state,
    )
