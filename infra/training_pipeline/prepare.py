"""PrepareData: writes the versioned train/ and test/ splits of the exact object version."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import catch_all, fail_state


def prepare_stage(scope: Construct, *, function: lambda_.IFunction, next_state: sfn.IChainable) -> sfn.IChainable:
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
    catch_all(invoke, fail_state(scope, "PreparationFailed"))
    return invoke.next(next_state)
