"""The SageMaker service quotas the embedded cloud knows: instance counts per instance type.

AWS names them "<instance type> for endpoint usage" (and "... for training job usage",
"... for processing job usage"), one per instance type, in the service code `sagemaker`. This is
a list of common ml.* types, not AWS's full one. Real default values vary per account and
region (new accounts often get 0 or 1 for GPU types); here every default is 8, enough for a few
models' endpoints on one type with a blue/green update or a shadow test under way (tests lower
one with `cloud.quotas.set` to see the pipeline refuse). Quota codes are made up
but stable: "L-" and 8 hex digits of a hash of the quota name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from moto.utilities.utils import get_partition

SERVICE_CODE = "sagemaker"
SERVICE_NAME = "Amazon SageMaker"
DEFAULT_VALUE = 8.0
_SIZES = {
    "t2": ("medium", "large", "xlarge", "2xlarge"),
    "t3": ("medium", "large", "xlarge", "2xlarge"),
    "m5": ("large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"),
    "m5d": ("large", "xlarge", "2xlarge", "4xlarge"),
    "m6i": ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge"),
    "c5": ("large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "18xlarge"),
    "c6i": ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge"),
    "r5": ("large", "xlarge", "2xlarge", "4xlarge", "12xlarge"),
    "g4dn": ("xlarge", "2xlarge", "4xlarge", "12xlarge"),
    "g5": ("xlarge", "2xlarge", "4xlarge", "12xlarge"),
    "p3": ("2xlarge", "8xlarge", "16xlarge"),
    "inf2": ("xlarge", "8xlarge"),
}
# Training and processing do not run on burstable t2 or on Inferentia.
_NOT_FOR_JOBS = ("t2", "inf2")
USAGES = ("endpoint usage", "training job usage", "processing job usage")


@dataclass(frozen=True)
class QuotaSpec:
    name: str
    code: str
    default: float


def quota_code(name: str) -> str:
    return "L-" + hashlib.sha256(name.encode()).hexdigest()[:8].upper()


@lru_cache(maxsize=1)
def sagemaker_quotas() -> tuple[QuotaSpec, ...]:
    specs = []
    for family, sizes in _SIZES.items():
        for size in sizes:
            for usage in USAGES:
                if usage != "endpoint usage" and family in _NOT_FOR_JOBS:
                    continue
                name = f"ml.{family}.{size} for {usage}"
                specs.append(QuotaSpec(name, quota_code(name), DEFAULT_VALUE))
    return tuple(sorted(specs, key=lambda spec: spec.name))


def quota_shape(spec: QuotaSpec, *, region: str, account: str | None, value: float) -> dict:
    """The ServiceQuota as the API returns it; an applied quota's ARN names the account, a
    default one's does not (as in AWS)."""
    return {
        "ServiceCode": SERVICE_CODE, "ServiceName": SERVICE_NAME,
        "QuotaArn": f"arn:{get_partition(region)}:servicequotas:{region}:{account or ''}:{SERVICE_CODE}/{spec.code}",
        "QuotaCode": spec.code, "QuotaName": spec.name, "Value": float(value), "Unit": "None",
        "Adjustable": True, "GlobalQuota": False,
    }
