"""The calls of the deployment pipeline and its Lambdas -> the IAM actions and resources AWS
authorizes them on (the IAM checker's rules for CloudWatch alarm lists and Service Quotas)."""

from __future__ import annotations

from mlops.localcloud.iam.moto_state import Where
from mlops.localcloud.iam.operations import authorizations

WHERE = Where(account="123456789012", region="us-east-1")
ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:{}"


def needed(service, operation, **params):
    return [(a.action, a.resource) for a in authorizations(service, operation, params, WHERE)]


def test_deleting_or_describing_named_alarms_is_authorized_on_each_alarm():
    names = ["ep-5xx", "ep-cfg-latency"]
    assert needed("cloudwatch", "DeleteAlarms", AlarmNames=names) == [
        ("cloudwatch:DeleteAlarms", ALARM.format(name)) for name in names]
    assert needed("cloudwatch", "DescribeAlarms", AlarmNames=names) == [
        ("cloudwatch:DescribeAlarms", ALARM.format(name)) for name in names]


def test_listing_alarms_without_names_is_authorized_on_every_alarm():
    assert needed("cloudwatch", "DescribeAlarms", AlarmNamePrefix="ep-") == [
        ("cloudwatch:DescribeAlarms", ALARM.format("*"))]


def test_putting_one_alarm_still_names_it():
    assert needed("cloudwatch", "PutMetricAlarm", AlarmName="ep-cfg-5xx", Namespace="AWS/SageMaker") == [
        ("cloudwatch:PutMetricAlarm", ALARM.format("ep-cfg-5xx"))]


def test_service_quotas_calls_use_the_servicequotas_prefix():
    assert needed("service-quotas", "ListServiceQuotas", ServiceCode="sagemaker") == [
        ("servicequotas:ListServiceQuotas", "*")]
    assert needed("service-quotas", "ListAWSDefaultServiceQuotas", ServiceCode="sagemaker") == [
        ("servicequotas:ListAWSDefaultServiceQuotas", "*")]
