"""ValidateData: the data contract check (Lambda). Invalid data ends the run with
DataValidationFailed and the plain-words summary as its cause."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import catch_all, fail_state, failure


def validate_stage(scope: Construct, *, function: lambda_.IFunction, next_state: sfn.IChainable) -> sfn.IChainable:
    failed = fail_state(scope, "DataValidationFailed")
    invoke = tasks.LambdaInvoke(
        scope, "ValidateData",
        lambda_function=function,
        payload=sfn.TaskInput.from_object({
            "data": sfn.JsonPath.object_at("$.data"),
            "settings": sfn.JsonPath.object_at("$.settings"),
        }),
        payload_response_only=True,  # the result is the handler's return value itself
        result_path="$.validation",
    )
    catch_all(invoke, failed)
    invalid = failure(scope, "DataInvalid", error="DataValidationFailed", cause="$.validation.summary").next(failed)
    verdict = (
        sfn.Choice(scope, "DataValid")
        .when(sfn.Condition.boolean_equals("$.validation.valid", False), invalid)
        .otherwise(next_state)
    )
    return invoke.next(verdict)
