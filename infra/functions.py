"""The pipeline's Lambda functions: one construct per function, with its own role, log group
(explicit, with retention: no LogRetention custom resource; encrypted by infra/encryption.py),
X-Ray tracing and Powertools environment, and a place in the stack's VPC when there is one.
Cross-resource permissions are granted by the composing stack."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.bundling import REPO_ROOT
from infra.lambda_code import HANDLER, handler_code
from infra.nag import acknowledge, acknowledge_wildcards
from infra.network import PrivateNetwork

# Python 3.13: the newest Lambda runtime whose wheels we measured for every layer pin
# (pandas, numpy, wrapt ship cp313 manylinux_2_28 wheels), on Amazon Linux 2023 with support
# into 2029. It is two minors ahead of local dev (3.11), so handlers stay 3.11-compatible
# code; 3.14 would widen that gap for no feature we use.
LAMBDA_RUNTIME = lambda_.Runtime.PYTHON_3_13
LOG_RETENTION = logs.RetentionDays.ONE_MONTH


class PipelineFunction(Construct):
    """`function`, `role`, `log_group`: a Lambda running `lambdas/<code_dir>/handler.py`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code_dir: str,
        service_name: str,
        metrics_namespace: str,
        layer: lambda_.ILayerVersion,
        description: str,
        environment: dict[str, str] | None = None,
        memory_size: int = 256,
        timeout: cdk.Duration = cdk.Duration.seconds(30),
        source_root: Path = REPO_ROOT,
        network: PrivateNetwork | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self, "Logs", retention=LOG_RETENTION, removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        # Own role without the AWSLambdaBasicExecutionRole managed policy: it may write to
        # its own log group only.
        self.role = iam.Role(
            self, "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs the {construct_id} function",
        )
        self.log_group.grant_write(self.role)
        self.function = lambda_.Function(
            self, "Function",
            runtime=LAMBDA_RUNTIME,
            architecture=lambda_.Architecture.X86_64,  # the layer holds x86_64 wheels
            handler=HANDLER,
            code=handler_code(code_dir, source_root=source_root),
            layers=[layer],
            role=self.role,
            log_group=self.log_group,
            tracing=lambda_.Tracing.ACTIVE,
            memory_size=memory_size,
            timeout=timeout,
            description=description,
            vpc=network.vpc if network else None,
            vpc_subnets=network.subnet_selection if network else None,
            security_groups=[network.security_group] if network else None,
            environment={
                "POWERTOOLS_SERVICE_NAME": service_name,
                "POWERTOOLS_METRICS_NAMESPACE": metrics_namespace,
                **(environment or {}),
            },
        )
        acknowledge(self.function, "AwsSolutions-L1",
                    "Python 3.13 is pinned on purpose: the layer's wheels are built for it and local "
                    "development runs 3.11; see LAMBDA_RUNTIME in infra/functions.py.")
        acknowledge(self.role, "AwsSolutions-IAM5[Resource::*]",
                    "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.")
        if network:
            # With a role of our own, CDK adds no AWSLambdaVPCAccessExecutionRole: grant its
            # network-interface actions here, scoped to the stack's subnets and security group.
            for statement in network.eni_statements("lambda"):
                self.role.add_to_principal_policy(statement)
            acknowledge_wildcards(self.role, network.wildcard_resources(),
                                  "Lambda names the network interfaces it creates; EC2 Describe* accept no resource.")
