"""The CloudWatch metrics the monitor publishes (mlops_core.monitoring.metric_data), as CDK
metrics for the alarms and dashboards: one definition of namespace, name and dimensions."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch

from mlops.config import ModelConfig
from mlops_core.monitoring.metric_data import (
    DATA_METRICS_NAMESPACE,
    DRIFT_PREFIX,
    DRIFTED_SHARE,
    LABELLED_RECORDS,
    MODEL_METRICS_NAMESPACE,
)
from mlops_core.naming import data_quality_schedule_name, model_quality_schedule_name

# Error metrics alarm when they grow, scores when they fall; the worst datapoint counts.
LOWER_IS_BETTER = frozenset({"rmse", "mae"})


def monitored(models: list[ModelConfig]) -> list[ModelConfig]:
    return [model for model in models if model.serving.enabled and model.monitoring.enabled]


def _period(model: ModelConfig) -> cdk.Duration:
    return cdk.Duration.seconds(model.monitoring.period_seconds)


# No labels here: a labelled metric makes CDK write an alarm in the metric-math form.
def drifted_share(model: ModelConfig) -> cloudwatch.Metric:
    endpoint = model.serving.endpoint_name
    return cloudwatch.Metric(
        namespace=DATA_METRICS_NAMESPACE, metric_name=DRIFTED_SHARE, statistic="Maximum", period=_period(model),
        dimensions_map={"Endpoint": endpoint, "MonitoringSchedule": data_quality_schedule_name(endpoint)})


def quality(model: ModelConfig, metric: str | None = None) -> cloudwatch.Metric:
    endpoint = model.serving.endpoint_name
    metric = metric or model.monitoring.model_quality.resolved_metric(model.problem_type)
    worst = "Maximum" if metric in LOWER_IS_BETTER or metric == LABELLED_RECORDS else "Minimum"
    return cloudwatch.Metric(
        namespace=MODEL_METRICS_NAMESPACE, metric_name=metric, statistic=worst, period=_period(model),
        dimensions_map={"Endpoint": endpoint, "MonitoringSchedule": model_quality_schedule_name(endpoint)})


def drift_per_feature(model: ModelConfig) -> cloudwatch.SearchExpression:
    """Every `feature_baseline_drift_<feature>` of the endpoint: the features are known only
    from the baseline of the version deployed, so the dashboard searches for them."""
    endpoint = model.serving.endpoint_name
    seconds = model.monitoring.period_seconds
    search = (f'{{"{DATA_METRICS_NAMESPACE}",Endpoint,MonitoringSchedule}} Endpoint="{endpoint}" '
              f'MonitoringSchedule="{data_quality_schedule_name(endpoint)}" {DRIFT_PREFIX.rstrip("_")}')
    return cloudwatch.SearchExpression(expression=f"SEARCH('{search}', 'Maximum', {seconds})", label="",
                                       period=_period(model))
