"""A model's versions in the SageMaker Model Registry, as an operator sees them.

Only SageMaker APIs are used, so the same code serves AWS and the embedded cloud.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

APPROVED = "Approved"
REJECTED = "Rejected"
PENDING = "PendingManualApproval"


@dataclass(frozen=True)
class ModelVersion:
    arn: str
    version: int
    status: str
    created: str
    metadata: dict[str, str]
    description: str | None
    approval_description: str | None

    @classmethod
    def from_description(cls, package: dict[str, Any]) -> ModelVersion:
        created = package.get("CreationTime")
        return cls(
            arn=package["ModelPackageArn"],
            version=int(package.get("ModelPackageVersion") or 0),
            status=package.get("ModelApprovalStatus", "unknown"),
            created=created.strftime("%Y-%m-%d %H:%M:%S") if hasattr(created, "strftime") else str(created),
            metadata=dict(package.get("CustomerMetadataProperties") or {}),
            description=package.get("ModelPackageDescription"),
            approval_description=package.get("ApprovalDescription"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "status": self.status, "created": self.created, "arn": self.arn,
                "metadata": self.metadata, "approval_description": self.approval_description}


def list_versions(sagemaker, group: str) -> list[ModelVersion]:
    """Every version of the group, newest first, with its full description."""
    pages = sagemaker.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=group, SortBy="CreationTime", SortOrder="Descending")
    arns = [summary["ModelPackageArn"] for page in pages for summary in page["ModelPackageSummaryList"]]
    versions = [ModelVersion.from_description(sagemaker.describe_model_package(ModelPackageName=arn)) for arn in arns]
    return sorted(versions, key=lambda v: v.version, reverse=True)


def choose(versions: list[ModelVersion], model: str, version: int | None) -> ModelVersion:
    """Version `version`, or the newest one waiting for approval; ValueError says what exists."""
    if version is not None:
        for candidate in versions:
            if candidate.version == version:
                return candidate
        known = ", ".join(str(v.version) for v in versions) or "none"
        raise ValueError(f"model '{model}' has no version {version} (versions: {known})")
    for candidate in versions:
        if candidate.status == PENDING:
            return candidate
    raise ValueError(f"no version of '{model}' is waiting for approval ({PENDING}); `mlops models {model}` "
                     "lists the versions: choose one with --version N")


def set_status(sagemaker, version: ModelVersion, status: str, description: str) -> None:
    """UpdateModelPackage: SageMaker then sends `SageMaker Model Package State Change`."""
    sagemaker.update_model_package(ModelPackageArn=version.arn, ModelApprovalStatus=status,
                                   ApprovalDescription=description[:1024])
