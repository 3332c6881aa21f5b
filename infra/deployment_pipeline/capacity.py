"""CheckCapacity: before a blue/green update (which runs the new fleet next to the old one)
the CheckCapacity Lambda compares the account's endpoint instance quota with what is in use
and what the update needs; too little ends the run `InsufficientEndpointQuota`, naming the
quota, its value, the instances in use and the instances needed."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.deployment_pipeline.common import Arns, catch_all, fail_state, failure
from infra.deployment_pipeline.outcome import FAILED, INSUFFICIENT_QUOTA, Endings, record_outcome

RESULT = "$.capacity"


def check_capacity_stage(scope: Construct, *, function: lambda_.IFunction, arns: Arns, endings: Endings,
                         next_state: sfn.IChainable) -> sfn.IChainable:
    check = tasks.LambdaInvoke(
        scope, "CheckCapacity",
        lambda_function=function,
        payload=sfn.TaskInput.from_object({
            "endpoint_name": sfn.JsonPath.string_at("$.names.endpoint"),
            "instance_type": sfn.JsonPath.string_at("$.serving.instance_type"),
            "instance_count": sfn.JsonPath.number_at("$.serving.instance_count"),
            "shadow": sfn.JsonPath.string_at("$.shadow.enabled"),
        }),
        payload_response_only=True,  # the result is the handler's return value itself
        result_path=RESULT,
    )
    catch_all(check, endings.record_failure)
    short = failure(scope, "QuotaShortfall", error=INSUFFICIENT_QUOTA, cause=f"{RESULT}.cause")
    short.next(record_outcome(scope, "RecordQuotaShortfall", status=FAILED, arns=arns,
                              next_state=fail_state(scope, INSUFFICIENT_QUOTA)))
    verdict = (sfn.Choice(scope, "CapacitySufficient")
               .when(sfn.Condition.boolean_equals(f"{RESULT}.sufficient", False), short)
               .otherwise(next_state))
    return check.next(verdict)
