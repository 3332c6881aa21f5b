"""Service Quotas for SageMaker in the embedded cloud: the three APIs the deployment pipeline
calls, pagination, and `cloud.quotas.set` for applied values."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from mlops.localcloud.quotas.catalog import sagemaker_quotas
from mlops.localcloud.server import EmbeddedCloud

ENDPOINT_QUOTA = "ml.m5.large for endpoint usage"


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")) as running:
        yield running


@pytest.fixture
def quotas(cloud):
    yield cloud.client("service-quotas")
    cloud.quotas.unset("sagemaker", ENDPOINT_QUOTA)


def every(client, operation: str, **request) -> list[dict]:
    return [q for page in client.get_paginator(operation).paginate(ServiceCode="sagemaker", **request)
            for q in page["Quotas"]]


def named(quota_list: list[dict], name: str) -> dict:
    [quota] = [q for q in quota_list if q["QuotaName"] == name]
    return quota


def test_default_quotas_in_botocores_shape(quotas):
    quota = named(every(quotas, "list_aws_default_service_quotas"), ENDPOINT_QUOTA)
    assert quota == {
        "ServiceCode": "sagemaker", "ServiceName": "Amazon SageMaker",
        "QuotaArn": f"arn:aws:servicequotas:us-east-1::sagemaker/{quota['QuotaCode']}",
        "QuotaCode": quota["QuotaCode"], "QuotaName": ENDPOINT_QUOTA, "Value": 8.0, "Unit": "None",
        "Adjustable": True, "GlobalQuota": False}
    assert quota["QuotaCode"].startswith("L-") and len(quota["QuotaCode"]) == 10


def test_every_instance_type_has_endpoint_training_and_processing_quotas(quotas):
    names = {q["QuotaName"] for q in every(quotas, "list_service_quotas")}
    for usage in ("endpoint usage", "training job usage", "processing job usage"):
        assert f"ml.m5.xlarge for {usage}" in names
    assert len({spec.code for spec in sagemaker_quotas()}) == len(sagemaker_quotas())  # codes are unique


def test_pages_follow_max_results_and_next_token(quotas):
    first = quotas.list_service_quotas(ServiceCode="sagemaker", MaxResults=7)
    second = quotas.list_service_quotas(ServiceCode="sagemaker", MaxResults=7, NextToken=first["NextToken"])
    assert len(first["Quotas"]) == len(second["Quotas"]) == 7
    assert not {q["QuotaCode"] for q in first["Quotas"]} & {q["QuotaCode"] for q in second["Quotas"]}
    assert len(every(quotas, "list_service_quotas", PaginationConfig={"PageSize": 50})) == len(sagemaker_quotas())
    with pytest.raises(ClientError) as raised:
        quotas.list_service_quotas(ServiceCode="sagemaker", NextToken="bm90IGEgdG9rZW4=")
    assert raised.value.response["Error"]["Code"] == "InvalidPaginationTokenException"


def test_an_applied_value_shows_where_aws_shows_it(cloud, quotas):
    cloud.quotas.set("sagemaker", ENDPOINT_QUOTA, 1)
    applied = named(every(quotas, "list_service_quotas"), ENDPOINT_QUOTA)
    assert applied["Value"] == 1.0
    assert applied["QuotaArn"] == f"arn:aws:servicequotas:us-east-1:{cloud.account}:sagemaker/{applied['QuotaCode']}"
    fetched = quotas.get_service_quota(ServiceCode="sagemaker", QuotaCode=applied["QuotaCode"])["Quota"]
    assert fetched == applied
    assert named(every(quotas, "list_aws_default_service_quotas"), ENDPOINT_QUOTA)["Value"] == 8.0
    only = quotas.list_service_quotas(ServiceCode="sagemaker", QuotaCode=applied["QuotaCode"])["Quotas"]
    assert only == [applied]


def test_unknown_quotas_and_services_are_named(cloud, quotas):
    with pytest.raises(ClientError) as raised:
        quotas.get_service_quota(ServiceCode="sagemaker", QuotaCode="L-00000000")
    assert raised.value.response["Error"]["Code"] == "NoSuchResourceException"
    assert "L-00000000" in raised.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as raised:
        quotas.list_service_quotas(ServiceCode="no-such-service")
    assert raised.value.response["Error"]["Code"] == "NoSuchResourceException"
    with pytest.raises(ValueError, match="ml.m5.huge for endpoint usage"):
        cloud.quotas.set("sagemaker", "ml.m5.huge for endpoint usage", 1)
    with pytest.raises(ValueError, match=">= 0"):
        cloud.quotas.set("sagemaker", ENDPOINT_QUOTA, -1)


def test_vpc_defaults_still_answer(quotas):
    assert quotas.list_aws_default_service_quotas(ServiceCode="vpc")["Quotas"]
