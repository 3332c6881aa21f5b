"""The execution role of the pipeline's SageMaker training and processing jobs.

This construct holds what every SageMaker job needs (its own CloudWatch logs and metrics, the
key of its encrypted storage volume, network interfaces in the stack's VPC when there is one);
S3 and KMS access to the stack's buckets is granted by the composing stack, and only the
training pipeline's role may pass this role, and only to SageMaker (`pass_role_statement`).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.nag import acknowledge_wildcards
from infra.network import PrivateNetwork


class SageMakerExecutionRole(Construct):
    """`role`."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.role = iam.Role(
            self, "Role",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description="Runs the training and evaluation jobs of the training pipeline",
        )
        job_logs = stack.format_arn(
            service="logs", resource="log-group", resource_name="/aws/sagemaker/*",
            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
        )
        self.role.add_to_principal_policy(iam.PolicyStatement(
            sid="JobLogs",
            actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources=[job_logs],
        ))
        # The MetricDefinitions values are published by SageMaker under the job's role.
        self.role.add_to_principal_policy(iam.PolicyStatement(
            sid="JobMetrics",
            actions=["cloudwatch:PutMetricData"],
            resources=["*"],
            conditions={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}},
        ))
        acknowledge_wildcards(self.role, [job_logs, "*"],
                              "SageMaker names its job log groups and streams at run time (under "
                              "/aws/sagemaker/); PutMetricData has no resource ARN and is limited by namespace.")

    def use_volume_key(self, key: kms.IKey) -> None:
        """SageMaker encrypts a job's ML storage volume (VolumeKmsKeyId) with a grant it creates
        on the key with this role; the grant can only be for an AWS resource, never a person.
        https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest-nbi.html"""
        self.role.add_to_principal_policy(iam.PolicyStatement(
            sid="VolumeKeyGrants",
            actions=["kms:CreateGrant"],
            resources=[key.key_arn],
            conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
        ))
        key.grant(self.role, "kms:DescribeKey")

    def run_in(self, network: PrivateNetwork) -> None:
        """Jobs with a VpcConfig get network interfaces in the stack's subnets through this role."""
        for statement in network.eni_statements("sagemaker"):
            self.role.add_to_principal_policy(statement)
        acknowledge_wildcards(self.role, network.wildcard_resources(),
                              "SageMaker names the network interfaces it creates; EC2 Describe* accept no resource.")

    def pass_role_statement(self) -> iam.PolicyStatement:
        return iam.PolicyStatement(
            sid="PassSageMakerExecutionRole",
            actions=["iam:PassRole"],
            resources=[self.role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        )
