"""A CloudWatch dashboard per monitored model, `<stack>-<model>-monitoring`: the endpoint's
traffic, latency and errors per variant (AWS/SageMaker), drift per feature and the drifted
share, model quality, and the training and deployment pipeline runs with their outcomes."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.monitoring.metrics import (
    drift_per_feature,
    drifted_share,
    monitored,
    quality,
)
from infra.settings import pascal
from mlops.config import ModelConfig, StageConfig
from mlops_core.monitoring.metric_data import LABELLED_RECORDS
from mlops_core.naming import shadow_variant_name

WIDTH = 8  # three graphs per row of 24
HOUR = cdk.Duration.hours(1)


def dashboard_name(stack_name: str, model: str) -> str:
    return f"{stack_name}-{model}-monitoring"


def _endpoint(model: ModelConfig, name: str, statistic: str, *, variant: str | None = None) -> cloudwatch.Metric:
    serving = model.serving
    return cloudwatch.Metric(namespace="AWS/SageMaker", metric_name=name, statistic=statistic,
                             period=cdk.Duration.minutes(5), label=f"{name} {statistic}",
                             dimensions_map={"EndpointName": serving.endpoint_name,
                                             "VariantName": variant or serving.variant_name})


def _graph(title: str, metrics: list[cloudwatch.IMetric], **kwargs) -> cloudwatch.GraphWidget:
    return cloudwatch.GraphWidget(title=title, left=metrics, width=WIDTH, height=6, **kwargs)


class ModelDashboards(Construct):
    """`dashboards`: model name -> Dashboard."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, training: sfn.IStateMachine,
                 deployment: sfn.IStateMachine) -> None:
        super().__init__(scope, construct_id)
        self.dashboards: dict[str, cloudwatch.Dashboard] = {}
        runs = self._runs(training, deployment)
        for model in monitored(config.models):
            board = cloudwatch.Dashboard(self, pascal(model.name),
                                         dashboard_name=dashboard_name(config.stack_name, model.name),
                                         default_interval=cdk.Duration.days(1))
            board.add_widgets(*self._serving(model))
            board.add_widgets(*self._monitoring(model))
            board.add_widgets(*runs)
            self.dashboards[model.name] = board

    @staticmethod
    def _serving(model: ModelConfig) -> list[cloudwatch.IWidget]:
        shadow = model.serving.shadow.enabled
        variants = [model.serving.variant_name] + ([shadow_variant_name(model.serving.variant_name)] if shadow else [])

        def per_variant(name: str, statistic: str) -> list[cloudwatch.IMetric]:
            return [_endpoint(model, name, statistic, variant=variant) for variant in variants]

        return [
            _graph("Invocations per variant", per_variant("Invocations", "Sum")),
            _graph("Latency per variant (microseconds)", per_variant("ModelLatency", "p50")
                   + per_variant("ModelLatency", "p99") + per_variant("OverheadLatency", "p99")),
            _graph("Errors per variant", per_variant("Invocation4XXErrors", "Sum")
                   + per_variant("Invocation5XXErrors", "Sum")),
        ]

    @staticmethod
    def _monitoring(model: ModelConfig) -> list[cloudwatch.IWidget]:
        settings = model.monitoring
        widgets: list[cloudwatch.IWidget] = [
            _graph("Drift per feature (distance)", [drift_per_feature(model)]),
            _graph("Share of drifted features", [drifted_share(model)],
                   left_annotations=[cloudwatch.HorizontalAnnotation(value=settings.drift.max_drifted_share,
                                                                     label="alarm above")]),
        ]
        if settings.model_quality.enabled:
            threshold = settings.model_quality.threshold
            widgets.append(_graph(
                "Model quality", [quality(model)], right=[quality(model, LABELLED_RECORDS)],
                left_annotations=[cloudwatch.HorizontalAnnotation(value=threshold, label="alarm threshold")]
                if threshold is not None else None))
        return widgets

    @staticmethod
    def _runs(training: sfn.IStateMachine, deployment: sfn.IStateMachine) -> list[cloudwatch.IWidget]:
        def outcomes(machine: sfn.IStateMachine, what: str) -> cloudwatch.GraphWidget:
            return _graph(f"{what} runs", [
                machine.metric_started(period=HOUR, label="started"),
                machine.metric_succeeded(period=HOUR, label="succeeded"),
                machine.metric_failed(period=HOUR, label="failed"),
                machine.metric_timed_out(period=HOUR, label="timed out"),
                machine.metric_aborted(period=HOUR, label="aborted"),
            ])

        return [outcomes(training, "Training pipeline"), outcomes(deployment, "Deployment pipeline")]
