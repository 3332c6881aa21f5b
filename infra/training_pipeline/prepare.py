"""Preparation: the versioned train/ and test/ splits of the uploaded object. The same size
Choice as validation picks the path: up to `settings.validation.processing_above_bytes` the
PrepareData Lambda splits the exact object version; above, a SageMaker Processing job runs the
same code on it (prepare_job.py). Both leave `$.prepare` in the Lambda's shape; any failure
ends the run with PreparationFailed."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, catch_all, fail_state
from infra.training_pipeline.prepare_job import preparation_job_stage
from infra.training_pipeline.validate import large_object


def prepare_stage(
    scope: Construct, *, function: lambda_.IFunction, jobs: JobSettings, iam_resources: list[str],
    result_resources: list[str], next_state: sfn.IChainable,
) -> sfn.IChainable:
    """`iam_resources`: the Processing job ARNs; `result_resources`: the job's result objects."""
    failed = fail_state(scope, "PreparationFailed")
    invoke = tasks.LambdaInvoke(
        scope, "PrepareData",
        lambda_function=function,
        payload=sfn.TaskInput.from_object({
            "data": sfn.JsonPath.object_at("$.data"),
            "settings": sfn.JsonPath.object_at("$.settings"),
            "paths": sfn.JsonPath.object_at("$.paths"),
        }),
        payload_response_only=True,
        result_path="$.prepare",
    )
    catch_all(invoke, failed)
    in_job = preparation_job_stage(scope, jobs=jobs, iam_resources=iam_resources, result_resources=result_resources,
                                   failed=failed, next_state=next_state)
    return sfn.Choice(scope, "PreparationRoute").when(large_object(), in_job).otherwise(invoke.next(next_state))
