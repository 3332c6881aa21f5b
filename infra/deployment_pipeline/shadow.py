"""The optional shadow test (serving.shadow.enabled), before the canary.

DescribeProductionConfig (the config active before this deployment) -> CreateShadowConfig
`names.shadow_endpoint_config`: production's variant unchanged plus the candidate as a shadow
variant (`names.shadow_variant`, weight `shadow.variant_weight` relative to production's 1.0,
i.e. that share of requests mirrored) -> UpdateEndpoint to it and wait until it serves ->
ShadowWindowStart -> RunShadowTest (Wait `shadow.duration_seconds`) -> CompareShadow (Lambda:
paired captures and latency of the window) -> passed: the canary goes on from the shadow
config; rejected (or the comparison failed): RevertShadowTest updates the endpoint back to the
config that was active before, then the run ends `ShadowRejected` (or `DeploymentFailed`).
"""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.deployment_pipeline.common import (
    ACTIVE_CONFIG,
    STATUS,
    Arns,
    ServingResources,
    catch_all,
    data_capture,
    fail_state,
    failure,
    resource_tags,
    sagemaker,
    update_and_wait,
)
from infra.deployment_pipeline.outcome import DEPLOYMENT_FAILED, SHADOW_REJECTED, Endings, record_outcome

PRODUCTION = "$.production.variant"
WINDOW = "$.shadow_window"
RESULT = "$.shadow_result"


def shadow_stage(scope: Construct, *, function: lambda_.IFunction, arns: Arns, resources: ServingResources,
                 endings: Endings, next_state: sfn.IChainable) -> sfn.IChainable:
    revert = _revert(scope, arns=arns, endings=endings)
    production = sagemaker(scope, "DescribeProductionConfig", "describeEndpointConfig", arns.endpoint_configs,
                           {"EndpointConfigName": sfn.JsonPath.string_at("$.previous.endpoint_config")},
                           # One production variant: every config this pipeline makes has one.
                           result_selector={"variant": sfn.JsonPath.object_at("$.ProductionVariants[0]")},
                           result_path="$.production")
    config = _shadow_config(scope, arns=arns, resources=resources)
    for task in (production, config):
        catch_all(task, endings.record_failure)
    compare = _compare(scope, function)
    catch_all(compare, revert)  # the shadow config is serving: go back before failing
    start = sfn.Pass(scope, "ShadowWindowStart", parameters={"start": sfn.JsonPath.state_entered_time},
                     result_path=WINDOW)
    run = sfn.Wait(scope, "RunShadowTest", time=sfn.WaitTime.seconds_path("$.shadow.duration_seconds"))
    rejected = failure(scope, "ShadowRejectionCause", error=SHADOW_REJECTED, cause=f"{RESULT}.cause").next(revert)
    verdict = (sfn.Choice(scope, "ShadowVerdict")
               .when(sfn.Condition.boolean_equals(f"{RESULT}.passed", True), next_state)
               .otherwise(rejected))
    not_serving = failure(scope, "ShadowConfigNotServing", error=DEPLOYMENT_FAILED, cause=(
        "States.Format('Endpoint {} did not go into service on the shadow config {} (status {}, active "
        f"config {{}})', $.names.endpoint, $.names.shadow_endpoint_config, {STATUS}, {ACTIVE_CONFIG})"))
    not_serving.next(endings.record_failure)
    serving = (sfn.Choice(scope, "ShadowConfigServing")
               .when(sfn.Condition.and_(sfn.Condition.string_equals(STATUS, "InService"),
                                        sfn.Condition.string_equals_json_path(
                                            ACTIVE_CONFIG, "$.names.shadow_endpoint_config")),
                     start.next(run).next(compare).next(verdict))
               .otherwise(not_serving))
    deploy = update_and_wait(scope, "StartShadowTest", arns=arns, config_path="$.names.shadow_endpoint_config",
                             next_state=serving, on_error=endings.record_failure)
    enabled = (sfn.Choice(scope, "ShadowEnabled")
               .when(sfn.Condition.boolean_equals("$.shadow.enabled", True), production.next(config).next(deploy))
               .otherwise(next_state))
    return enabled


def _shadow_config(scope: Construct, *, arns: Arns, resources: ServingResources) -> sfn.TaskStateBase:
    return sagemaker(scope, "CreateShadowConfig", "createEndpointConfig", arns.endpoint_configs, {
        "EndpointConfigName": sfn.JsonPath.string_at("$.names.shadow_endpoint_config"),
        "ProductionVariants": [{
            "VariantName": sfn.JsonPath.string_at("$.names.variant"),
            "ModelName": sfn.JsonPath.string_at(f"{PRODUCTION}.ModelName"),
            "InstanceType": sfn.JsonPath.string_at(f"{PRODUCTION}.InstanceType"),
            "InitialInstanceCount": sfn.JsonPath.number_at(f"{PRODUCTION}.InitialInstanceCount"),
            "InitialVariantWeight": 1,
        }],
        "ShadowProductionVariants": [{
            "VariantName": sfn.JsonPath.string_at("$.names.shadow_variant"),
            "ModelName": sfn.JsonPath.string_at("$.names.model"),
            "InstanceType": sfn.JsonPath.string_at("$.serving.instance_type"),
            "InitialInstanceCount": sfn.JsonPath.number_at("$.serving.instance_count"),
            "InitialVariantWeight": sfn.JsonPath.number_at("$.shadow.variant_weight"),
        }],
        "DataCaptureConfig": data_capture(resources),
        "KmsKeyId": resources.key_arn,
        "Tags": resource_tags(),
    })


def _compare(scope: Construct, function: lambda_.IFunction) -> tasks.LambdaInvoke:
    return tasks.LambdaInvoke(
        scope, "CompareShadow",
        lambda_function=function,
        payload=sfn.TaskInput.from_object({
            "endpoint_name": sfn.JsonPath.string_at("$.names.endpoint"),
            "production_variant": sfn.JsonPath.string_at("$.names.variant"),
            "shadow_variant": sfn.JsonPath.string_at("$.names.shadow_variant"),
            "start": sfn.JsonPath.string_at(f"{WINDOW}.start"),
            "end": sfn.JsonPath.state_entered_time,
            "thresholds": sfn.JsonPath.object_at("$.shadow.thresholds"),
        }),
        payload_response_only=True,
        result_path=RESULT,
    )


def _revert(scope: Construct, *, arns: Arns, endings: Endings) -> sfn.IChainable:
    """Entered with `$.failure` set: back to the config active before, then end ShadowRejected
    (a rejection) or DeploymentFailed (any other error)."""
    record = record_outcome(scope, "RecordShadowRejected", status=SHADOW_REJECTED, arns=arns,
                            next_state=fail_state(scope, SHADOW_REJECTED))
    outcome = (sfn.Choice(scope, "ShadowOutcome")
               .when(sfn.Condition.string_equals("$.failure.Error", SHADOW_REJECTED), record)
               .otherwise(endings.record_failure))
    return update_and_wait(scope, "RevertShadowTest", arns=arns, config_path="$.previous.endpoint_config",
                           next_state=outcome, on_error=endings.record_failure)
