"""CheckCapacity: instances in use from every endpoint (moto), quotas from Service Quotas
(a botocore Stubber: moto has no ListServiceQuotas), the verdict in the state machine's shape."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

import lambdas.check_capacity.handler as handler
from tests.lambdas.builders import ACCOUNT, REGION
from tests.lambdas.deployment_fixtures import fresh_deployment_clients  # noqa: F401

ENDPOINT = "MlopsStack-penguins"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerExecution"


def _quota(name: str, value: float) -> dict:
    return {"ServiceCode": "sagemaker", "ServiceName": "Amazon SageMaker", "QuotaCode": "L-0000ABCD",
            "QuotaName": name, "Value": value, "Unit": "None", "Adjustable": True, "GlobalQuota": False}


@pytest.fixture
def sagemaker(aws):
    return boto3.client("sagemaker", region_name=REGION)


def _endpoint(sagemaker, name: str, instance_type: str, count: int) -> None:
    sagemaker.create_model(ModelName=f"{name}-model", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "image"})
    sagemaker.create_endpoint_config(EndpointConfigName=f"{name}-config", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": f"{name}-model", "InstanceType": instance_type,
        "InitialInstanceCount": count}])
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")


@pytest.fixture
def quotas(aws, monkeypatch):
    """Service Quotas answering from a Stubber; every expected call must be made."""
    client = boto3.client("service-quotas", region_name=REGION)
    stubber = Stubber(client)
    monkeypatch.setattr(handler, "_quotas", lambda: client)
    with stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def _event(instance_count: int = 1, shadow: bool = False, instance_type: str = "ml.m5.large") -> dict:
    return {"endpoint_name": ENDPOINT, "instance_type": instance_type, "instance_count": instance_count,
            "shadow": shadow}


def test_applied_quotas_are_read_across_pages(sagemaker, quotas, lambda_context):
    _endpoint(sagemaker, ENDPOINT, "ml.m5.large", 1)
    _endpoint(sagemaker, "other", "ml.m5.large", 2)
    quotas.add_response("list_service_quotas", {"Quotas": [_quota("ml.c5.large for endpoint usage", 4)],
                                                "NextToken": "t"}, {"ServiceCode": "sagemaker"})
    quotas.add_response("list_service_quotas", {"Quotas": [_quota("ml.m5.large for endpoint usage", 5)]},
                        {"ServiceCode": "sagemaker", "NextToken": "t"})
    result = handler.lambda_handler(_event(instance_count=2), lambda_context)
    assert result == {"sufficient": True, "cause": None, "warnings": [], "checks": [
        {"quota_name": "ml.m5.large for endpoint usage", "quota": 5.0, "origin": "applied", "in_use": 3,
         "needed": 2}]}


def test_aws_defaults_are_used_when_the_account_has_no_applied_value(sagemaker, quotas, lambda_context):
    _endpoint(sagemaker, ENDPOINT, "ml.m5.large", 2)
    quotas.add_response("list_service_quotas", {"Quotas": []}, {"ServiceCode": "sagemaker"})
    quotas.add_response("list_aws_default_service_quotas",
                        {"Quotas": [_quota("ml.m5.large for endpoint usage", 2)]}, {"ServiceCode": "sagemaker"})
    result = handler.lambda_handler(_event(instance_count=2), lambda_context)
    assert result["sufficient"] is False
    assert ("quota 'ml.m5.large for endpoint usage' is 2 (default), 2 in use, 2 more needed"
            in result["cause"])


def test_a_shadow_test_needs_room_for_both_of_its_updates(sagemaker, quotas, lambda_context):
    _endpoint(sagemaker, ENDPOINT, "ml.m5.large", 1)
    quotas.add_response("list_service_quotas", {"Quotas": [_quota("ml.m5.large for endpoint usage", 3)]},
                        {"ServiceCode": "sagemaker"})
    result = handler.lambda_handler(_event(shadow=True), lambda_context)
    # Production's copy plus the candidate next to the old fleet: 1 in use + 2 more fits 3.
    assert result["sufficient"] is True and result["checks"][0]["needed"] == 2


def test_a_quota_it_cannot_find_is_a_warning(sagemaker, quotas, lambda_context):
    quotas.add_response("list_service_quotas", {"Quotas": []}, {"ServiceCode": "sagemaker"})
    quotas.add_response("list_aws_default_service_quotas", {"Quotas": []}, {"ServiceCode": "sagemaker"})
    result = handler.lambda_handler(_event(instance_type="ml.m5.4xlarge"), lambda_context)
    assert result["sufficient"] is True and result["checks"] == []
    assert result["warnings"] == ["no Service Quotas entry 'ml.m5.4xlarge for endpoint usage' was found; "
                                  "the update goes ahead unchecked"]


def test_a_service_quotas_error_propagates_for_the_state_machine_to_report(sagemaker, quotas, lambda_context):
    quotas.add_client_error("list_service_quotas", service_error_code="AccessDeniedException",
                            service_message="not authorized to perform: servicequotas:ListServiceQuotas")
    with pytest.raises(Exception, match="AccessDeniedException"):
        handler.lambda_handler(_event(), lambda_context)
