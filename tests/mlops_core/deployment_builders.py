"""Approval events and settings documents for the deployment tests (AWS's documented event shape)."""

from __future__ import annotations

import copy
from typing import Any

from mlops.config import parse_config

ACCOUNT = "123456789012"
REGION = "us-east-1"
GROUP = "MlopsStack-penguins"
PACKAGE_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/mlopsstack-penguins/3"
APPROVED_AT = "2026-11-27T10:00:00Z"


def penguins_settings(**serving: Any) -> dict[str, Any]:
    """The penguins settings document as CDK renders it from the typed config."""
    model = {"name": "penguins", "target": "species", "problem_type": "classification", "serving": serving}
    return parse_config({"models": [model]}).models[0].settings_document(region=REGION, submit_directory="s3://b/k")


def approval_event(*, status: str = "Approved", group: str = GROUP, account: str = ACCOUNT, region: str = REGION,
                   package_arn: str = PACKAGE_ARN, **detail: Any) -> dict[str, Any]:
    return copy.deepcopy({
        "version": "0",
        "id": "8c0d1a2b-0000-4000-8000-000000000000",
        "detail-type": "SageMaker Model Package State Change",
        "source": "aws.sagemaker",
        "account": account,
        "time": APPROVED_AT,
        "region": region,
        "resources": [package_arn],
        "detail": {
            "ModelPackageGroupName": group,
            "ModelPackageVersion": 3,
            "ModelPackageArn": package_arn,
            "CreationTime": "2026-11-27T09:00:00Z",
            "LastModifiedTime": APPROVED_AT,
            "ModelApprovalStatus": status,
            "ModelPackageStatus": "Completed",
            **detail,
        },
    })
