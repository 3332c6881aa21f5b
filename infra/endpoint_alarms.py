"""The endpoint-wide rollback alarm of each model with serving enabled: `<endpoint>-5xx`,
Invocation5XXErrors Sum by EndpointName and VariantName (both fleets of a blue/green update
report under these dimensions), above `serving.alarms.error_threshold` per period.

Every deployment names it in its AutoRollbackConfiguration, next to the two new-fleet alarms
the deployment makes itself (their EndpointConfigName exists only at run time).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from infra.settings import pascal
from mlops.config import StageConfig
from mlops_core.naming import endpoint_alarm_name


class EndpointAlarms(Construct):
    """`alarms`: model name -> its endpoint-wide 5XX alarm."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        for model in config.models:
            serving = model.serving
            if not serving.enabled:
                continue
            metric = cloudwatch.Metric(
                namespace="AWS/SageMaker",
                metric_name="Invocation5XXErrors",
                dimensions_map={"EndpointName": serving.endpoint_name, "VariantName": serving.variant_name},
                statistic="Sum",
                period=cdk.Duration.seconds(serving.alarms.period_seconds),
            )
            self.alarms[model.name] = cloudwatch.Alarm(
                self, pascal(model.name),
                alarm_name=endpoint_alarm_name(serving.endpoint_name),
                alarm_description=(f"Rolls back a deployment to endpoint {serving.endpoint_name}: 5XX errors of "
                                   f"variant {serving.variant_name} (either fleet) above the threshold"),
                metric=metric,
                threshold=serving.alarms.error_threshold,
                evaluation_periods=serving.alarms.evaluation_periods,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
