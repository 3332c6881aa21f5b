"""What MonitorEndpoint and the monitoring Processing job may do (docs/contracts.md "Monitoring
in the stack"), scoped to the monitored models: read settings, the endpoint -> config -> model ->
package chain, captures, baselines and ground truth; write reports under monitoring/; put
metrics only in the two monitoring namespaces; start check jobs named `<model>-*-dq|mq`."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam

from infra.deployment_pipeline.access import deployment_arns
from infra.monitoring.alarm_trigger import JOB_SUFFIXES
from mlops.config import ModelConfig
from mlops_core.data_capture import DATA_CAPTURE_PREFIX
from mlops_core.monitoring.metric_data import (
    DATA_METRICS_NAMESPACE,
    MODEL_METRICS_NAMESPACE,
)
from mlops_core.naming import deployment_resource_prefix

GROUND_TRUTH_PREFIX = "ground-truth/"
MONITORING_PREFIX = "monitoring/"
MODELS_PREFIX = "models/"


def put_metrics_statement() -> iam.PolicyStatement:
    # PutMetricData accepts no resource (infra/iam_exceptions.py): the namespace condition scopes it.
    return iam.PolicyStatement(actions=["cloudwatch:PutMetricData"], resources=["*"], conditions={
        "StringEquals": {"cloudwatch:namespace": [DATA_METRICS_NAMESPACE, MODEL_METRICS_NAMESPACE]}})


def model_monitor_metrics_statement() -> iam.PolicyStatement:
    """A Model Monitor execution's metrics are put under its job's role: the data-metrics namespace only."""
    return iam.PolicyStatement(actions=["cloudwatch:PutMetricData"], resources=["*"], conditions={
        "StringEquals": {"cloudwatch:namespace": DATA_METRICS_NAMESPACE}})


def settings_listing_statement(stack: cdk.Stack, settings_prefix: str) -> iam.PolicyStatement:
    """Listing the settings maps a Model Monitor execution's schedule back to its model; the
    listing is authorised on the prefix path itself."""
    return iam.PolicyStatement(actions=["ssm:GetParametersByPath"], resources=[
        stack.format_arn(service="ssm", resource="parameter", resource_name=settings_prefix.strip("/"))])


def check_job_arns(stack: cdk.Stack, models: list[ModelConfig]) -> list[str]:
    return [stack.format_arn(service="sagemaker", resource="processing-job",
                             resource_name=f"{deployment_resource_prefix(m.name)}-*{suffix}")
            for m in models for suffix in JOB_SUFFIXES]


def grant_monitor(role: iam.IRole, *, stack: cdk.Stack, models: list[ModelConfig], artifacts_bucket_arn: str,
                  data_bucket_arn: str, settings_prefix: str) -> list[str]:
    """The function's grants; returns the wildcard resources for the cdk-nag acknowledgement."""
    arns = deployment_arns(stack, models)
    settings = stack.format_arn(service="ssm", resource="parameter", resource_name=f"{settings_prefix.strip('/')}/*")
    captures = f"{artifacts_bucket_arn}/{DATA_CAPTURE_PREFIX}/*"
    baselines = f"{artifacts_bucket_arn}/{MODELS_PREFIX}*"
    reports = f"{artifacts_bucket_arn}/{MONITORING_PREFIX}*"
    truth = f"{data_bucket_arn}/{GROUND_TRUTH_PREFIX}*"
    jobs = check_job_arns(stack, models)
    statements = [
        iam.PolicyStatement(actions=["ssm:GetParameter"], resources=[settings]),
        iam.PolicyStatement(actions=["sagemaker:DescribeEndpoint"], resources=arns.endpoints),
        iam.PolicyStatement(actions=["sagemaker:DescribeEndpointConfig"], resources=arns.endpoint_configs),
        iam.PolicyStatement(actions=["sagemaker:DescribeModel"], resources=arns.models),
        iam.PolicyStatement(actions=["sagemaker:DescribeModelPackage"], resources=arns.packages),
        iam.PolicyStatement(actions=["s3:GetObject"], resources=[captures, baselines, reports, truth]),
        iam.PolicyStatement(actions=["s3:PutObject"], resources=[reports]),
        # Listing a prefix that holds nothing must answer "empty", not AccessDenied.
        iam.PolicyStatement(actions=["s3:ListBucket"], resources=[artifacts_bucket_arn], conditions={
            "StringLike": {"s3:prefix": [f"{DATA_CAPTURE_PREFIX}/*", f"{MONITORING_PREFIX}*"]}}),
        iam.PolicyStatement(actions=["s3:ListBucket"], resources=[data_bucket_arn], conditions={
            "StringLike": {"s3:prefix": [f"{GROUND_TRUTH_PREFIX}*"]}}),
        put_metrics_statement(),
        iam.PolicyStatement(actions=["sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob",
                                     "sagemaker:AddTags"], resources=jobs),
    ]
    for statement in statements:
        role.add_to_principal_policy(statement)
    return [settings, captures, baselines, reports, truth, "*", *jobs, *arns.packages, *arns.models,
            *arns.endpoint_configs]


def grant_check_job(role: iam.IRole, *, artifacts_bucket_arn: str, data_bucket_arn: str) -> list[str]:
    """The Processing job reads captures and ground truth, writes the reports (baselines under
    models/ it reads already, as every job of the pipeline)."""
    captures = f"{artifacts_bucket_arn}/{DATA_CAPTURE_PREFIX}/*"
    reports = f"{artifacts_bucket_arn}/{MONITORING_PREFIX}*"
    truth = f"{data_bucket_arn}/{GROUND_TRUTH_PREFIX}*"
    role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[captures, truth]))
    role.add_to_principal_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=[reports]))
    return [captures, reports, truth]
