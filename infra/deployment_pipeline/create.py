"""The first deployment of a model: CreateEndpoint with the new config, then poll until it is
InService (-> Deployed) or Failed (-> DeploymentFailed with SageMaker's FailureReason). There
is no old fleet, so no rollback alarm and no shadow test."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import (
    STATUS,
    Arns,
    catch_all,
    describe_endpoint,
    failure,
    in_flight,
    poll_wait,
    resource_tags,
    sagemaker,
)
from infra.deployment_pipeline.outcome import DEPLOYMENT_FAILED, Endings


def create_endpoint_stage(scope: Construct, *, arns: Arns, endings: Endings, deployed: sfn.IChainable) -> sfn.IChainable:
    create = sagemaker(scope, "CreateEndpoint", "createEndpoint", arns.endpoints + arns.endpoint_configs, {
        "EndpointName": sfn.JsonPath.string_at("$.names.endpoint"),
        "EndpointConfigName": sfn.JsonPath.string_at("$.names.endpoint_config"),
        "Tags": resource_tags(),
    })
    describe = describe_endpoint(scope, "DescribeNewEndpoint", arns)
    for task in (create, describe):
        catch_all(task, endings.record_failure)
    reason = "$.endpoint.FailureReason"
    with_reason = failure(scope, "CreationFailureReason", error=DEPLOYMENT_FAILED, cause=reason)
    without_reason = failure(scope, "CreationFailureStatus", error=DEPLOYMENT_FAILED, cause=(
        f"States.Format('Endpoint {{}} ended {{}} while being created', $.names.endpoint, {STATUS})"))
    for state in (with_reason, without_reason):
        state.next(endings.record_failure)
    wait = poll_wait(scope, "WaitForNewEndpoint")
    status = (sfn.Choice(scope, "NewEndpointStatus")
              .when(sfn.Condition.string_equals(STATUS, "InService"), deployed)
              .when(sfn.Condition.and_(sfn.Condition.string_equals(STATUS, "Failed"),
                                       sfn.Condition.is_present(reason)), with_reason)
              .when(sfn.Condition.string_equals(STATUS, "Failed"), without_reason)
              .when(in_flight(), wait)
              .otherwise(without_reason))
    return create.next(wait).next(describe).next(status)
