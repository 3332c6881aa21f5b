"""Validation: the uploaded object against the model's data contract. A Choice on the object's
size picks the path: up to `settings.validation.processing_above_bytes` the ValidateData Lambda
reads and judges it; above, a SageMaker Processing job profiles it (validate_job.py) and the
same Lambda judges the profile (`JudgeDataProfile`). Both write `$.validation` in the same
shape; invalid data ends the run with DataValidationFailed and the plain-words summary."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, catch_all, fail_state, failure
from infra.training_pipeline.validate_job import validation_job_stage

SIZE = "$.data.size"
LIMIT = "$.settings.validation.processing_above_bytes"


def _invoke(scope: Construct, name: str, function: lambda_.IFunction, **extra) -> tasks.LambdaInvoke:
    return tasks.LambdaInvoke(
        scope, name,
        lambda_function=function,
        payload=sfn.TaskInput.from_object({
            "data": sfn.JsonPath.object_at("$.data"),
            "settings": sfn.JsonPath.object_at("$.settings"),
            "paths": sfn.JsonPath.object_at("$.paths"),
            **extra,
        }),
        payload_response_only=True,  # the result is the handler's return value itself
        result_path="$.validation",
    )


def validate_stage(
    scope: Construct, *, function: lambda_.IFunction, jobs: JobSettings, iam_resources: list[str],
    next_state: sfn.IChainable,
) -> sfn.IChainable:
    failed = fail_state(scope, "DataValidationFailed")
    invalid = failure(scope, "DataInvalid", error="DataValidationFailed", cause="$.validation.summary").next(failed)
    verdict = (
        sfn.Choice(scope, "DataValid")
        .when(sfn.Condition.boolean_equals("$.validation.valid", False), invalid)
        .otherwise(next_state)
    )
    in_lambda = _invoke(scope, "ValidateData", function)
    judge_profile = _invoke(scope, "JudgeDataProfile", function, profile=sfn.JsonPath.string_at("$.paths.data_profile"))
    for task in (in_lambda, judge_profile):
        catch_all(task, failed)
        task.next(verdict)
    in_job = validation_job_stage(scope, jobs=jobs, iam_resources=iam_resources, failed=failed,
                                  next_state=judge_profile)
    return sfn.Choice(scope, "ValidationRoute").when(large_object(), in_job).otherwise(in_lambda)


def large_object() -> sfn.Condition:
    """The uploaded object is above `settings.validation.processing_above_bytes`: it goes to a
    Processing job, for validation as for preparation. A size is absent only from hand-made
    inputs; those go to the Lambdas."""
    return sfn.Condition.and_(
        sfn.Condition.is_present(SIZE), sfn.Condition.is_numeric(SIZE),
        sfn.Condition.is_present(LIMIT), sfn.Condition.is_numeric(LIMIT),
        sfn.Condition.number_greater_than_json_path(SIZE, LIMIT),
    )
