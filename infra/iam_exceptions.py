"""The one list of IAM actions the stack may grant on `Resource: "*"`, each with why AWS allows
nothing narrower and where AWS documents it.

Every other statement names its resources. tests/infra/test_security_iam.py walks every policy
of the synthesized template and fails on a `"*"` resource for an action missing here; adding an
action to this list is a reviewed decision, not a side effect.

Sources: the Service Authorization Reference lists, per action, the resource types it can be
scoped to; an empty "Resource types" column means `"*"` is the only resource AWS accepts.
"""

from __future__ import annotations

_SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference"
_XRAY = (f"X-Ray accepts no resource for this action ({_SAR}/list_awsx-ray.html); Lambda active tracing "
         "and Step Functions tracing need it.")
_SFN_LOGS = ("CloudWatch Logs log delivery, which Step Functions logging uses, supports no resource-level "
             "permissions (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy).")
_EC2_DESCRIBE = (f"EC2 Describe* actions accept no resource ({_SAR}/list_amazonec2.html); Lambda and SageMaker "
                 "look up the subnets, security groups and network interfaces they attach to in the VPC "
                 "(network.vpc.enabled only).")

RESOURCE_STAR_ACTIONS: dict[str, str] = {
    "xray:PutTraceSegments": _XRAY,
    "xray:PutTelemetryRecords": _XRAY,
    "xray:GetSamplingRules": _XRAY,
    "xray:GetSamplingTargets": _XRAY,
    "logs:CreateLogDelivery": _SFN_LOGS,
    "logs:GetLogDelivery": _SFN_LOGS,
    "logs:UpdateLogDelivery": _SFN_LOGS,
    "logs:DeleteLogDelivery": _SFN_LOGS,
    "logs:ListLogDeliveries": _SFN_LOGS,
    "logs:PutResourcePolicy": _SFN_LOGS,
    "logs:DescribeResourcePolicies": _SFN_LOGS,
    "logs:DescribeLogGroups": _SFN_LOGS,
    "sagemaker:ListModelPackages": (
        f"ListModelPackages accepts no resource ({_SAR}/list_amazonsagemaker.html); the pipeline lists a "
        "group's approved versions to find the champion."),
    "cloudwatch:PutMetricData": (
        f"PutMetricData accepts no resource ({_SAR}/list_amazoncloudwatch.html); the grant is limited to "
        "SageMaker's namespaces by the cloudwatch:namespace condition instead."),
    "sagemaker:ListEndpoints": (
        f"ListEndpoints accepts no resource ({_SAR}/list_amazonsagemaker.html); the capacity check counts "
        "the instances every endpoint of the account uses against the quota."),
    "servicequotas:ListServiceQuotas": (
        f"ListServiceQuotas accepts no resource ({_SAR}/list_servicequotas.html); the capacity check reads "
        "SageMaker's endpoint instance quotas."),
    "servicequotas:ListAWSDefaultServiceQuotas": (
        f"ListAWSDefaultServiceQuotas accepts no resource ({_SAR}/list_servicequotas.html); the capacity check "
        "falls back to the default quotas."),
    "cloudwatch:GetMetricData": (
        f"GetMetricData accepts no resource ({_SAR}/list_amazoncloudwatch.html); the shadow comparison reads "
        "the variants' latency metrics."),
    "ec2:DescribeNetworkInterfaces": _EC2_DESCRIBE,
    "ec2:DescribeSubnets": _EC2_DESCRIBE,
    "ec2:DescribeSecurityGroups": _EC2_DESCRIBE,
    "ec2:DescribeVpcs": _EC2_DESCRIBE,
    "ec2:DescribeDhcpOptions": _EC2_DESCRIBE,
}

_LOWER = {action.lower(): action for action in RESOURCE_STAR_ACTIONS}


def may_use_any_resource(action: str) -> bool:
    """IAM action names are case-insensitive (CDK writes `sagemaker:listModelPackages`)."""
    return action.lower() in _LOWER


def why_any_resource(action: str) -> str:
    return RESOURCE_STAR_ACTIONS[_LOWER[action.lower()]]
