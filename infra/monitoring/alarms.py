"""The monitoring alarms of each monitored model (docs/contracts.md "Monitoring"):
`<endpoint>-drift` on the share of drifted features and, with a threshold configured,
`<endpoint>-model-quality` on the model-quality metric. One datapoint per check, so the period
is the schedule's; a period without traffic puts no datapoint and is not drift.

Their state changes to ALARM are what AlarmRetrainingTrigger turns into retraining requests.
"""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from infra.monitoring.metrics import LOWER_IS_BETTER, drifted_share, monitored, quality
from infra.settings import pascal
from mlops.config import StageConfig
from mlops_core.alarm_retraining import drift_alarm_name, model_quality_alarm_name


class MonitoringAlarms(Construct):
    """`alarms`: model name -> its monitoring alarms; `names`: every alarm name (sorted; the
    alarms' own `alarm_name` is a token, the rule's pattern needs the text)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.alarms: dict[str, list[cloudwatch.Alarm]] = {}
        names: list[str] = []
        for model in monitored(config.models):
            endpoint, settings = model.serving.endpoint_name, model.monitoring
            alarms = [cloudwatch.Alarm(
                self, f"{pascal(model.name)}Drift",
                alarm_name=drift_alarm_name(endpoint),
                alarm_description=(f"Data drift of model {model.name} at endpoint {endpoint}: the share of drifted "
                                   f"features exceeds {settings.drift.max_drifted_share}"),
                metric=drifted_share(model),
                threshold=settings.drift.max_drifted_share,
                evaluation_periods=settings.alarms.evaluation_periods,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )]
            threshold = settings.model_quality.threshold
            if settings.model_quality.enabled and threshold is not None:
                metric = settings.model_quality.resolved_metric(model.problem_type)
                worse = "above" if metric in LOWER_IS_BETTER else "below"
                alarms.append(cloudwatch.Alarm(
                    self, f"{pascal(model.name)}ModelQuality",
                    alarm_name=model_quality_alarm_name(endpoint),
                    alarm_description=(f"Model quality of model {model.name} at endpoint {endpoint}: {metric} on "
                                       f"the labelled requests {worse} {threshold}"),
                    metric=quality(model, metric),
                    threshold=threshold,
                    evaluation_periods=settings.alarms.evaluation_periods,
                    comparison_operator=(cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD if worse == "above"
                                         else cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD),
                    treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                ))
            self.alarms[model.name] = alarms
            names += [drift_alarm_name(endpoint)] + ([model_quality_alarm_name(endpoint)] if len(alarms) > 1 else [])
        self.names = sorted(names)
