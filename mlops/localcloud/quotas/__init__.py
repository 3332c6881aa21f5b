"""Service quotas in the embedded cloud (`cloud.quotas`): SageMaker's instance quotas, with
values tests and demos can lower or raise, answered by the Service Quotas API (`api`)."""

from __future__ import annotations

from mlops.localcloud.quotas.api import install
from mlops.localcloud.quotas.catalog import SERVICE_CODE, sagemaker_quotas

__all__ = ["ServiceQuotas", "install"]


class ServiceQuotas:
    """Applied quota values of the cloud's account (every region); defaults stay AWS's."""

    def __init__(self) -> None:
        self._applied: dict[tuple[str, str], float] = {}

    def set(self, service_code: str, quota_name: str, value: float) -> None:
        """Apply `value` to the quota named `quota_name` (e.g. "ml.m5.large for endpoint usage"):
        ListServiceQuotas and GetServiceQuota show it, ListAWSDefaultServiceQuotas does not."""
        if value is None or float(value) < 0:
            raise ValueError(f"a quota value must be a number >= 0, not {value!r}")
        self._applied[(service_code, self._code(service_code, quota_name))] = float(value)

    def unset(self, service_code: str, quota_name: str) -> None:
        """Back to the default value."""
        self._applied.pop((service_code, self._code(service_code, quota_name)), None)

    def applied_value(self, service_code: str, quota_code: str, default: float) -> float:
        return self._applied.get((service_code, quota_code), default)

    @staticmethod
    def _code(service_code: str, quota_name: str) -> str:
        if service_code != SERVICE_CODE:
            raise ValueError(f"the embedded cloud sets quotas of the service code {SERVICE_CODE!r} only, "
                             f"not {service_code!r}")
        for spec in sagemaker_quotas():
            if spec.name == quota_name:
                return spec.code
        raise ValueError(f"no {service_code} quota is named {quota_name!r} "
                         "(names look like 'ml.m5.large for endpoint usage')")
