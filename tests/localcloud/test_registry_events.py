"""The embedded cloud sends `SageMaker Model Package State Change` as SageMaker does, and
UpdateModelPackage changes only what it names."""

from __future__ import annotations

import pytest

GROUP = "RegistryEvents-penguins"
SPEC = {"Containers": [{"Image": "image", "ModelDataUrl": "s3://bucket/model.tar.gz"}],
        "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]}


@pytest.fixture(scope="module")
def cloud(embedded_cloud):
    embedded_cloud.client("sagemaker").create_model_package_group(ModelPackageGroupName=GROUP)
    return embedded_cloud


@pytest.fixture
def queue(cloud, event_queue):
    """An SQS queue behind a rule on the default bus for this group's state changes."""
    return event_queue(cloud, {
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Model Package State Change"],
        "detail": {"ModelPackageGroupName": [GROUP]}})


def _create(cloud, status: str, **extra) -> str:
    return cloud.client("sagemaker").create_model_package(
        ModelPackageGroupName=GROUP, ModelApprovalStatus=status, InferenceSpecification=SPEC, **extra,
    )["ModelPackageArn"]


def test_creation_sends_the_documented_event_shape(cloud, queue):
    arn = _create(cloud, "PendingManualApproval", MetadataProperties={"GeneratedBy": "execution-arn"})
    [event] = queue.received(1)
    assert (event["source"], event["detail-type"], event["resources"]) == (
        "aws.sagemaker", "SageMaker Model Package State Change", [arn])
    detail = event["detail"]
    assert detail["ModelPackageArn"] == arn and detail["ModelPackageGroupName"] == GROUP
    assert detail["ModelApprovalStatus"] == "PendingManualApproval"
    assert detail["MetadataProperties"] == {"GeneratedBy": "execution-arn"}
    assert isinstance(detail["ModelPackageVersion"], int)
    assert detail["CreationTime"].endswith("Z") and detail["InferenceSpecification"] == SPEC


def test_an_approval_by_the_api_sends_the_new_status(cloud, queue):
    arn = _create(cloud, "PendingManualApproval")
    cloud.client("sagemaker").update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved",
                                                   ApprovalDescription="looks good")
    events = queue.received(2)
    assert [e["detail"]["ModelApprovalStatus"] for e in events] == ["PendingManualApproval", "Approved"]
    assert events[1]["detail"]["ApprovalDescription"] == "looks good"


def test_an_update_that_changes_no_status_sends_nothing(cloud, queue):
    arn = _create(cloud, "Approved")
    queue.received(1)
    cloud.client("sagemaker").update_model_package(ModelPackageArn=arn, CustomerMetadataProperties={"note": "x"})
    assert queue.received(1, timeout=1.5) == []


def test_approval_keeps_the_packages_metadata(cloud):
    sagemaker = cloud.client("sagemaker")
    arn = _create(cloud, "PendingManualApproval", CustomerMetadataProperties={"DataVersionId": "v1"})
    sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved")
    sagemaker.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties={"Reviewer": "ana"})
    package = sagemaker.describe_model_package(ModelPackageName=arn)
    assert package["CustomerMetadataProperties"] == {"DataVersionId": "v1", "Reviewer": "ana"}
    assert package["ModelApprovalStatus"] == "Approved"


def test_a_deleted_version_is_gone_and_deleting_it_again_names_it(cloud):
    sagemaker = cloud.client("sagemaker")
    arn = _create(cloud, "Rejected")
    sagemaker.delete_model_package(ModelPackageName=arn)
    listed = [p["ModelPackageArn"] for p in sagemaker.list_model_packages(ModelPackageGroupName=GROUP)[
        "ModelPackageSummaryList"]]
    assert arn not in listed
    with pytest.raises(sagemaker.exceptions.ClientError) as caught:
        sagemaker.delete_model_package(ModelPackageName=arn)
    assert caught.value.response["Error"]["Code"] == "ValidationException" and arn in str(caught.value)
