"""The registry's approval event, as SageMaker sends it to EventBridge: `SageMaker Model
Package State Change` (source `aws.sagemaker`, `resources: [<package ARN>]`, `detail` = the
package as DescribeModelPackage shows it).

Only what a deployment needs is read; a malformed event raises ValueError naming the field
(StartDeployment lets it propagate: retried, then dead-lettered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SOURCE = "aws.sagemaker"
DETAIL_TYPE = "SageMaker Model Package State Change"
APPROVED = "Approved"


@dataclass(frozen=True)
class ApprovalEvent:
    account: str
    region: str
    group: str
    package_arn: str
    status: str
    # The detail's LastModifiedTime, else CreationTime (docs/contracts.md): with the package
    # ARN it names the deployment, so an approval delivered twice starts one run.
    approved_at: str

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> ApprovalEvent:
        if event.get("source") != SOURCE or event.get("detail-type") != DETAIL_TYPE:
            raise ValueError(f"not a model package state change: source {event.get('source')!r}, "
                             f"detail-type {event.get('detail-type')!r}")
        detail = event.get("detail")
        if not isinstance(detail, Mapping):
            raise ValueError("the event has no 'detail' object")
        resources = event.get("resources") or []
        package_arn = detail.get("ModelPackageArn") or (resources[0] if resources else None)
        approved_at = detail.get("LastModifiedTime") or detail.get("CreationTime")
        fields = {
            "account": event.get("account"), "region": event.get("region"),
            "detail.ModelPackageGroupName": detail.get("ModelPackageGroupName"),
            "detail.ModelPackageArn": package_arn,
            "detail.ModelApprovalStatus": detail.get("ModelApprovalStatus"),
            "detail.LastModifiedTime (or CreationTime)": approved_at,
        }
        missing = [name for name, value in fields.items() if value is None or str(value) == ""]
        if missing:
            raise ValueError(f"the approval event lacks {', '.join(missing)}")
        return cls(account=str(event["account"]), region=str(event["region"]),
                   group=str(detail["ModelPackageGroupName"]), package_arn=str(package_arn),
                   status=str(detail["ModelApprovalStatus"]), approved_at=str(approved_at))

    @property
    def version(self) -> str:
        """The package version (the ARN's last segment), for messages."""
        return self.package_arn.rsplit("/", 1)[-1]
