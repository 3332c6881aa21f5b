"""Registration: a model package in the model's group (contracts.md "Registry"), carrying the
inference container, the evaluation report, the drift baselines of its training data, the
gate's decision and the exact data version and code it came from.

Two states make the same request with different approval: RegisterModel (the model's
configured approval, after the gate passed) and RegisterRejectedModel (Rejected, after the
gate refused it: the candidate stays in the registry's lineage, never in service).
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, catch_all, fail_state, job_tags

CONTENT_TYPES = ["text/csv", "application/json"]
GATE = "$.gate.decision.metadata"
# CustomerMetadataProperties written from the gate decision (mlops_core.gate_decision).
GATE_KEYS = ("GateDecision", "GateMetric", "GateThreshold", "GateTolerance", "CandidateScore", "ChampionScore",
             "ChampionModelPackage")
REGISTRATION_PATH = "$.registration"


def register_task(scope: Construct, name: str, *, jobs: JobSettings, iam_resources: list[str],
                  approval_status: str) -> tasks.CallAwsService:
    """`approval_status`: a literal status or a JSONPath to one."""
    status = sfn.JsonPath.string_at(approval_status) if approval_status.startswith("$") else approval_status
    task = tasks.CallAwsService(
        scope, name,
        service="sagemaker",
        action="createModelPackage",
        iam_resources=iam_resources,
        parameters={
            "ModelPackageGroupName": sfn.JsonPath.string_at("$.settings.model_package_group"),
            "ModelApprovalStatus": status,
            "ModelPackageDescription": sfn.JsonPath.format(
                "Run {} on s3://{}/{} (version {})", sfn.JsonPath.string_at("$.run_id"),
                sfn.JsonPath.string_at("$.data.bucket"), sfn.JsonPath.string_at("$.data.key"),
                sfn.JsonPath.string_at("$.data.version_id")),
            "InferenceSpecification": _inference(jobs),
            "ModelMetrics": {
                "ModelQuality": {"Statistics": _json("$.paths.evaluation_report")},
                "ModelDataQuality": _data_quality(),
            },
            "DriftCheckBaselines": {"ModelDataQuality": _data_quality()},
            "MetadataProperties": {
                "GeneratedBy": sfn.JsonPath.execution_id,
                "CommitId": jobs.code_version,
                "Repository": jobs.source_url,
            },
            "CustomerMetadataProperties": _customer_metadata(jobs),
            "Tags": job_tags(),
        },
        result_selector={"ModelPackageArn": sfn.JsonPath.string_at("$.ModelPackageArn")},
        result_path=REGISTRATION_PATH,
    )
    catch_all(task, fail_state(scope, "RegistrationFailed"))
    return task


def _json(path: str) -> dict:
    return {"ContentType": "application/json", "S3Uri": sfn.JsonPath.string_at(path)}


def _data_quality() -> dict:
    """Model Monitor statistics and constraints of the training data version (ValidateData)."""
    return {"Statistics": _json("$.paths.data_statistics"), "Constraints": _json("$.paths.data_constraints")}


def _inference(jobs: JobSettings) -> dict:
    return {
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
    }


def _customer_metadata(jobs: JobSettings) -> dict:
    """Strings only (SageMaker's rule); every model traces to its data version, run and code."""
    return {
        "DataBucket": sfn.JsonPath.string_at("$.data.bucket"),
        "DataKey": sfn.JsonPath.string_at("$.data.key"),
        "DataVersionId": sfn.JsonPath.string_at("$.data.version_id"),
        "DataETag": sfn.JsonPath.string_at("$.data.etag"),
        "ExecutionArn": sfn.JsonPath.execution_id,
        "RunId": sfn.JsonPath.string_at("$.run_id"),
        "CodeVersion": jobs.code_version,
        "TrainingJobName": sfn.JsonPath.string_at("$.training.TrainingJobName"),
        "EvaluationJobName": sfn.JsonPath.string_at("$.jobs.evaluation"),
        "ExperimentName": sfn.JsonPath.string_at("$.lineage.experiment"),
        "TrialName": sfn.JsonPath.string_at("$.lineage.trial"),
        **{key: sfn.JsonPath.string_at(f"{GATE}.{key}") for key in GATE_KEYS},
    }
