"""Evaluation and gate decision: a SageMaker Processing job on the same scikit-learn image runs
evaluate.py from the job archive on the held-out test split. When the model has an approved
version (champion.py), a second variant of the request adds its model artifact as the
`champion` input, and the job re-scores it on the same rows. Either way the job writes
evaluation.json and gate.json (sagemaker_jobs/evaluate.py); gate.py reads the decision.
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.champion import CHAMPION_PATH, find_champion_stage
from infra.training_pipeline.common import JobSettings, fail_state, job_tags, sagemaker_job_loop
from infra.training_pipeline.lineage import experiment_config
from infra.training_pipeline.processing import cluster_config, network_config, stopping_condition
from mlops_core.processing_request import CODE_DIR, PROCESSING, app_specification, output_config, s3_input

CHAMPION_DIR = f"{PROCESSING}/champion"
ARGUMENTS = ["--model-dir", f"{PROCESSING}/model", "--test-dir", f"{PROCESSING}/test",
             "--output-dir", f"{PROCESSING}/evaluation"]
RESULT_PATH = "$.evaluation"


def evaluate_stage(
    scope: Construct, *, jobs: JobSettings, iam_resources: list[str], list_resources: list[str],
    package_resources: list[str], next_state: sfn.IChainable,
) -> sfn.IChainable:
    """`iam_resources`: processing job ARNs; `list_resources` / `package_resources`: what
    ListModelPackages / DescribeModelPackage may act on."""
    gate = sfn.JsonPath.json_to_string(sfn.JsonPath.object_at("$.settings.gate"))
    plain = _create(scope, "CreateEvaluationJob", jobs, iam_resources, inputs=[], arguments=["--gate", gate])
    champion_input = s3_input("champion", sfn.JsonPath.string_at(f"{CHAMPION_PATH}.container.ModelDataUrl"), CHAMPION_DIR)
    with_champion = _create(
        scope, "CreateEvaluationJobWithChampion", jobs, iam_resources, inputs=[champion_input],
        arguments=["--gate", gate, "--champion-dir", CHAMPION_DIR, "--champion",
                   sfn.JsonPath.json_to_string(sfn.JsonPath.object_at(f"{CHAMPION_PATH}.package"))],
    )
    describe = tasks.CallAwsService(
        scope, "DescribeEvaluationJob",
        service="sagemaker",
        action="describeProcessingJob",
        iam_resources=iam_resources,
        parameters={"ProcessingJobName": sfn.JsonPath.string_at("$.jobs.evaluation")},
        result_path=RESULT_PATH,
    )
    sagemaker_job_loop(
        scope, kind="Evaluation", create=plain, describe=describe, result_path=RESULT_PATH,
        status_field="ProcessingJobStatus", job_name_path="$.jobs.evaluation",
        failed=fail_state(scope, "EvaluationFailed"), next_state=next_state, alternatives=(with_champion,),
    )
    return find_champion_stage(scope, list_resources=list_resources, describe_resources=package_resources,
                               with_champion=with_champion, without_champion=plain)


def _create(scope: Construct, name: str, jobs: JobSettings, iam_resources: list[str], *,
            inputs: list[dict], arguments: list) -> tasks.CallAwsService:
    resources = "$.settings.processing"
    return tasks.CallAwsService(
        scope, name,
        service="sagemaker",
        action="createProcessingJob",
        iam_resources=iam_resources,
        parameters={
            "ProcessingJobName": sfn.JsonPath.string_at("$.jobs.evaluation"),
            "RoleArn": jobs.role_arn,
            # States.Array: JSONPath values are only allowed in arrays through it.
            "AppSpecification": app_specification(jobs.training_image, "evaluate.py",
                                                  sfn.JsonPath.array(*ARGUMENTS, *arguments)),
            "ProcessingInputs": [
                s3_input("code", jobs.source_url, CODE_DIR),
                s3_input("model", sfn.JsonPath.string_at("$.training.ModelArtifacts.S3ModelArtifacts"),
                       f"{PROCESSING}/model"),
                s3_input("test", sfn.JsonPath.string_at("$.paths.test"), f"{PROCESSING}/test"),
                *inputs,
            ],
            "ProcessingOutputConfig": output_config("evaluation", sfn.JsonPath.string_at("$.paths.evaluation_output"),
                                                    f"{PROCESSING}/evaluation", kms_key_id=jobs.output_key_arn),
            "ProcessingResources": cluster_config(resources, jobs),
            "NetworkConfig": network_config(jobs),
            "StoppingCondition": stopping_condition(resources),
            "ExperimentConfig": experiment_config("evaluation"),
            "Tags": job_tags(),
        },
        result_path=RESULT_PATH,
    )
