"""RegisterModel: a model package in the model's group (contracts.md "Registry") carrying the
inference container, the evaluation report and the exact data version it was trained on."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, catch_all, fail_state

CONTENT_TYPES = ["text/csv", "application/json"]


def register_stage(
    scope: Construct, *, jobs: JobSettings, iam_resources: list[str], next_state: sfn.IChainable,
) -> sfn.IChainable:
    register = tasks.CallAwsService(
        scope, "RegisterModel",
        service="sagemaker",
        action="createModelPackage",
        iam_resources=iam_resources,
        parameters={
            "ModelPackageGroupName": sfn.JsonPath.string_at("$.settings.model_package_group"),
            "ModelApprovalStatus": sfn.JsonPath.string_at("$.settings.approval_status"),
            "ModelPackageDescription": sfn.JsonPath.format(
                "Run {} on s3://{}/{}", sfn.JsonPath.string_at("$.run_id"),
                sfn.JsonPath.string_at("$.data.bucket"), sfn.JsonPath.string_at("$.data.key")),
            "InferenceSpecification": {
                "Containers": [{
                    "Image": jobs.inference_image,
                    "ModelDataUrl": sfn.JsonPath.string_at("$.training.ModelArtifacts.S3ModelArtifacts"),
                    "Environment": {
                        "SAGEMAKER_PROGRAM": "inference.py",
                        "SAGEMAKER_SUBMIT_DIRECTORY": jobs.source_url,
                    },
                }],
                "SupportedContentTypes": CONTENT_TYPES,
                "SupportedResponseMIMETypes": CONTENT_TYPES,
            },
            "ModelMetrics": {"ModelQuality": {"Statistics": {
                "ContentType": "application/json",
                "S3Uri": sfn.JsonPath.string_at("$.paths.evaluation_report"),
            }}},
            "CustomerMetadataProperties": {
                "DataBucket": sfn.JsonPath.string_at("$.data.bucket"),
                "DataKey": sfn.JsonPath.string_at("$.data.key"),
                "DataVersionId": sfn.JsonPath.string_at("$.data.version_id"),
                "DataETag": sfn.JsonPath.string_at("$.data.etag"),
                "ExecutionArn": sfn.JsonPath.execution_id,
                "RunId": sfn.JsonPath.string_at("$.run_id"),
            },
        },
        result_selector={"ModelPackageArn": sfn.JsonPath.string_at("$.ModelPackageArn")},
        result_path="$.registration",
    )
    catch_all(register, fail_state(scope, "RegistrationFailed"))
    return register.next(next_state)
