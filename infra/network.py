"""The optional VPC (config `network.vpc`, mlops/config_network.py): where the Lambda functions
and SageMaker jobs run when an account wants its compute off the internet entirely.

Private isolated subnets only: no internet gateway, no NAT. The AWS APIs the stack calls are
reached through interface endpoints (SageMaker API and runtime, STS, CloudWatch Logs,
CloudWatch, KMS, SSM, Step Functions) and S3 through a gateway endpoint. One security group
holds every workload; the endpoints accept HTTPS from it alone. Flow logs go to the access-log
bucket.

`eni_statements` are the permissions a role needs to attach its compute to the subnets (Lambda
and SageMaker create network interfaces with the role of the function or job).
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from mlops.config_network import VpcConfig

INTERFACE_ENDPOINTS = {
    "SageMakerApi": ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API,
    "SageMakerRuntime": ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME,
    "Sts": ec2.InterfaceVpcEndpointAwsService.STS,
    "Logs": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    "CloudWatch": ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
    "Kms": ec2.InterfaceVpcEndpointAwsService.KMS,
    "Ssm": ec2.InterfaceVpcEndpointAwsService.SSM,
    "StepFunctions": ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
}
FLOW_LOGS_PREFIX = "vpc-flow-logs/"
# What each kind of compute does with network interfaces in the subnets (AWS's guides:
# Lambda "Giving Lambda functions access to resources in an Amazon VPC", SageMaker "Give
# SageMaker AI access to resources in your Amazon VPC").
_ENI_ACTIONS = {
    "lambda": ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
    "sagemaker": ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
                  "ec2:DeleteNetworkInterfacePermission"],
}
_DESCRIBE_ACTIONS = {
    "lambda": ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
    "sagemaker": ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
                  "ec2:DescribeVpcs", "ec2:DescribeDhcpOptions"],
}


class PrivateNetwork(Construct):
    """`vpc`, `security_group` (the workloads'), `subnet_ids` and `security_group_ids` (for
    SageMaker VpcConfig), `subnet_selection` (for Lambda)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: VpcConfig, flow_log_bucket: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        self.subnet_selection = ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        self.vpc = ec2.Vpc(
            self, "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(config.cidr),
            max_azs=config.max_azs,
            nat_gateways=0,
            subnet_configuration=[ec2.SubnetConfiguration(name="Private", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)],
            # Nothing uses the default security group; locking it down takes a custom-resource Lambda.
            restrict_default_security_group=False,
            flow_logs={"All": ec2.FlowLogOptions(
                destination=ec2.FlowLogDestination.to_s3(flow_log_bucket, FLOW_LOGS_PREFIX),
                traffic_type=ec2.FlowLogTrafficType.ALL)},
        )
        self.security_group = ec2.SecurityGroup(
            self, "Workloads", vpc=self.vpc, allow_all_outbound=False,
            description="Lambda functions and SageMaker jobs of the pipeline",
        )
        # The subnets route nowhere but to the endpoints, so HTTPS "anywhere" reaches only them
        # (the S3 gateway endpoint has no fixed address range to name instead).
        self.security_group.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443),
                                            "HTTPS to the VPC endpoints (no other route exists)")
        # Multi-instance SageMaker jobs talk to each other (inter-container traffic, encrypted).
        self.security_group.add_ingress_rule(self.security_group, ec2.Port.all_traffic(),
                                             "Between the instances of one SageMaker job")
        self.security_group.add_egress_rule(self.security_group, ec2.Port.all_traffic(),
                                            "Between the instances of one SageMaker job")
        endpoints = ec2.SecurityGroup(self, "Endpoints", vpc=self.vpc, allow_all_outbound=False,
                                      description="VPC interface endpoints of the pipeline")
        endpoints.add_ingress_rule(self.security_group, ec2.Port.tcp(443), "HTTPS from the pipeline's workloads")
        for endpoint_id, service in INTERFACE_ENDPOINTS.items():
            self.vpc.add_interface_endpoint(endpoint_id, service=service, subnets=self.subnet_selection,
                                            security_groups=[endpoints], open=False, private_dns_enabled=True)
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3,
                                      subnets=[self.subnet_selection])
        self.subnet_ids = self.vpc.select_subnets(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED).subnet_ids
        self.security_group_ids = [self.security_group.security_group_id]

    def eni_statements(self, compute: str) -> list[iam.PolicyStatement]:
        """What a role of `compute` ("lambda" or "sagemaker") needs to run in the subnets."""
        stack = cdk.Stack.of(self)

        def ec2_arn(resource: str, name: str) -> str:
            return stack.format_arn(service="ec2", resource=resource, resource_name=name)

        interfaces = ec2_arn("network-interface", "*")  # named by EC2 when created
        attached = [interfaces, *(ec2_arn("subnet", subnet) for subnet in self.subnet_ids),
                    ec2_arn("security-group", self.security_group.security_group_id)]
        return [
            iam.PolicyStatement(actions=["ec2:CreateNetworkInterface"], resources=attached),
            iam.PolicyStatement(actions=_ENI_ACTIONS[compute], resources=[interfaces]),
            iam.PolicyStatement(actions=_DESCRIBE_ACTIONS[compute], resources=["*"]),
        ]

    def wildcard_resources(self) -> list[str]:
        """The wildcard resources of `eni_statements`, for cdk-nag acknowledgements."""
        interfaces = cdk.Stack.of(self).format_arn(service="ec2", resource="network-interface", resource_name="*")
        return [interfaces, "*"]
