"""Evaluation: a SageMaker Processing job on the same scikit-learn image runs evaluate.py from
the job archive against the held-out test split and writes evaluation.json."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, fail_state, job_tags, sagemaker_job_loop

PROCESSING = "/opt/ml/processing"
CODE_DIR = f"{PROCESSING}/input/code"
# The code input lands under the S3 object's own name (CDK calls it `<asset hash>.gz`, the
# embedded cloud may call it sourcedir.tar.gz), so extract whatever archive is there.
ENTRYPOINT = ["/bin/sh", "-c", f'cd {CODE_DIR} && tar -xzf ./*.gz && exec python3 evaluate.py "$@"', "evaluate"]
ARGUMENTS = ["--model-dir", f"{PROCESSING}/model", "--test-dir", f"{PROCESSING}/test",
             "--output-dir", f"{PROCESSING}/evaluation"]
RESULT_PATH = "$.evaluation"


def _input(name: str, uri: str, local_path: str) -> dict:
    return {"InputName": name, "S3Input": {
        "S3Uri": uri, "LocalPath": local_path, "S3DataType": "S3Prefix", "S3InputMode": "File",
    }}


def evaluate_stage(
    scope: Construct, *, jobs: JobSettings, iam_resources: list[str], next_state: sfn.IChainable,
) -> sfn.IChainable:
    resources = "$.settings.processing"
    create = tasks.CallAwsService(
        scope, "CreateEvaluationJob",
        service="sagemaker",
        action="createProcessingJob",
        iam_resources=iam_resources,
        parameters={
            "ProcessingJobName": sfn.JsonPath.string_at("$.jobs.evaluation"),
            "RoleArn": jobs.role_arn,
            "AppSpecification": {
                "ImageUri": jobs.training_image,
                "ContainerEntrypoint": ENTRYPOINT,
                "ContainerArguments": ARGUMENTS,
            },
            "ProcessingInputs": [
                _input("code", jobs.source_url, CODE_DIR),
                _input("model", sfn.JsonPath.string_at("$.training.ModelArtifacts.S3ModelArtifacts"),
                       f"{PROCESSING}/model"),
                _input("test", sfn.JsonPath.string_at("$.paths.test"), f"{PROCESSING}/test"),
            ],
            "ProcessingOutputConfig": {
                "Outputs": [{"OutputName": "evaluation", "S3Output": {
                    "S3Uri": sfn.JsonPath.string_at("$.paths.evaluation_output"),
                    "LocalPath": f"{PROCESSING}/evaluation",
                    "S3UploadMode": "EndOfJob",
                }}],
                "KmsKeyId": jobs.output_key_arn,
            },
            "ProcessingResources": {"ClusterConfig": {
                "InstanceType": sfn.JsonPath.string_at(f"{resources}.instance_type"),
                "InstanceCount": sfn.JsonPath.number_at(f"{resources}.instance_count"),
                "VolumeSizeInGB": sfn.JsonPath.number_at(f"{resources}.volume_size_gb"),
            }},
            "StoppingCondition": {
                "MaxRuntimeInSeconds": sfn.JsonPath.number_at(f"{resources}.max_runtime_seconds"),
            },
            "Tags": job_tags(),
        },
        result_path=RESULT_PATH,
    )
    describe = tasks.CallAwsService(
        scope, "DescribeEvaluationJob",
        service="sagemaker",
        action="describeProcessingJob",
        iam_resources=iam_resources,
        parameters={"ProcessingJobName": sfn.JsonPath.string_at("$.jobs.evaluation")},
        result_path=RESULT_PATH,
    )
    return sagemaker_job_loop(
        scope, kind="Evaluation", create=create, describe=describe, result_path=RESULT_PATH,
        status_field="ProcessingJobStatus", job_name_path="$.jobs.evaluation",
        failed=fail_state(scope, "EvaluationFailed"), next_state=next_state,
    )
