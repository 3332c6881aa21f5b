"""The blue/green update with automatic rollback.

CreateLatencyAlarm, CreateErrorAlarm: the new fleet's rollback alarms (this deployment's
EndpointConfigName exists only now), ModelLatency p99 above `alarms.latency_p99_us` and
Invocation5XXErrors Sum above `alarms.error_threshold`, both by EndpointName, VariantName and
EndpointConfigName; missing data is not breaching (a fleet without traffic is not failing).
StartRollout: UpdateEndpoint to the new config with `$.deployment_config` (the strategy's
BlueGreenUpdatePolicy; AutoRollbackConfiguration = the endpoint-wide alarm + these two), then
poll until the endpoint is neither Updating nor RollingBack, and let verify.py judge.
From here on every error goes through CleanUpAlarmsAfterFailure.
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import Arns, catch_all, sagemaker, update_and_wait
from infra.deployment_pipeline.outcome import Endings

NAMESPACE = "AWS/SageMaker"


def canary_stage(scope: Construct, *, arns: Arns, endings: Endings, next_state: sfn.IChainable) -> sfn.IChainable:
    latency = _alarm(scope, "CreateLatencyAlarm", arns, name="$.names.latency_alarm", metric="ModelLatency",
                     statistic={"ExtendedStatistic": "p99"}, threshold="$.alarms.latency_p99_us",
                     what="ModelLatency p99 (microseconds)")
    errors = _alarm(scope, "CreateErrorAlarm", arns, name="$.names.errors_alarm", metric="Invocation5XXErrors",
                    statistic={"Statistic": "Sum"}, threshold="$.alarms.error_threshold",
                    what="Invocation5XXErrors per period")
    for task in (latency, errors):
        catch_all(task, endings.clean_up_and_fail)
    rollout = update_and_wait(scope, "StartRollout", arns=arns, config_path="$.names.endpoint_config",
                              deployment_config="$.deployment_config", next_state=next_state,
                              on_error=endings.clean_up_and_fail)
    return latency.next(errors).next(rollout)


def _alarm(scope: Construct, state_name: str, arns: Arns, **spec) -> sfn.TaskStateBase:
    return sagemaker(scope, state_name, "putMetricAlarm", arns.new_fleet_alarms, _alarm_request(**spec),
                     service="cloudwatch")


def _alarm_request(*, name: str, metric: str, statistic: dict, threshold: str, what: str) -> dict:
    return {
        "AlarmName": sfn.JsonPath.string_at(name),
        "AlarmDescription": sfn.JsonPath.format(
            f"Rolls back deployment {{}}: {what} of the new fleet (endpoint config {{}}) on endpoint {{}} "
            "is above the threshold. Made and deleted by the deployment pipeline.",
            sfn.JsonPath.string_at("$.deployment_id"), sfn.JsonPath.string_at("$.names.endpoint_config"),
            sfn.JsonPath.string_at("$.names.endpoint")),
        "Namespace": NAMESPACE,
        "MetricName": metric,
        **statistic,
        "Dimensions": [
            {"Name": "EndpointName", "Value": sfn.JsonPath.string_at("$.names.endpoint")},
            {"Name": "VariantName", "Value": sfn.JsonPath.string_at("$.names.variant")},
            {"Name": "EndpointConfigName", "Value": sfn.JsonPath.string_at("$.names.endpoint_config")},
        ],
        "Period": sfn.JsonPath.number_at("$.alarms.period_seconds"),
        "EvaluationPeriods": sfn.JsonPath.number_at("$.alarms.evaluation_periods"),
        "Threshold": sfn.JsonPath.number_at(threshold),
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }
