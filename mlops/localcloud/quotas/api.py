"""Service Quotas for `sagemaker` in moto 5.2.5 (pinned: this touches its internals).

moto knows only `vpc` and has no ListServiceQuotas. Here ListServiceQuotas (applied values),
ListAWSDefaultServiceQuotas (defaults) and GetServiceQuota answer for `sagemaker` from
`catalog`, with the applied values set through `ServiceQuotas.set`; all three page with
MaxResults (1-100, default 100) and NextToken, for `vpc` too. The responses are JSON, in
botocore's shapes; errors are the service's (NoSuchResourceException,
InvalidPaginationTokenException).
"""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace

from moto.core.exceptions import JsonRESTError
from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.models import ServiceQuotasBackend
from moto.servicequotas.resources.default_quotas.vpc import VPC_DEFAULT_QUOTAS
from moto.servicequotas.responses import ServiceQuotasResponse

from mlops.localcloud.quotas.catalog import SERVICE_CODE, quota_shape, sagemaker_quotas

_active = SimpleNamespace(quotas=None)
_installed: list[bool] = []
DEFAULT_PAGE = 100


def install(quotas) -> None:
    """Point the patches at `quotas` (a `ServiceQuotas`, for applied values); patch moto once."""
    _active.quotas = quotas
    if _installed:
        return
    ServiceQuotasBackend.quotas = quotas_of
    ServiceQuotasResponse.list_service_quotas = _list_response(applied=True)
    ServiceQuotasResponse.list_aws_default_service_quotas = _list_response(applied=False)
    ServiceQuotasResponse.get_service_quota = _get_response
    _installed.append(True)


def quotas_of(self, service_code: str, *, applied: bool) -> list[dict]:
    """Every quota of `service_code`: applied values (ListServiceQuotas) or AWS's defaults."""
    if service_code == "vpc":
        return [dict(q) for q in VPC_DEFAULT_QUOTAS]
    if service_code != SERVICE_CODE:
        raise NoSuchResource
    overrides = _active.quotas
    return [quota_shape(spec, region=self.region_name, account=self.account_id if applied else None,
                        value=overrides.applied_value(SERVICE_CODE, spec.code, spec.default)
                        if applied and overrides is not None else spec.default)
            for spec in sagemaker_quotas()]


def _list_response(*, applied: bool):
    def respond(self) -> str:
        params = json.loads(self.body or "{}")
        service_code = str(params.get("ServiceCode"))
        quotas = self.backend.quotas(service_code, applied=applied)
        if applied:
            quotas = _filter_applied(quotas, params)
        start, limit = _offset(params.get("NextToken"), service_code, len(quotas)), _limit(params.get("MaxResults"))
        result: dict = {"Quotas": quotas[start:start + limit]}
        if start + limit < len(quotas):
            result["NextToken"] = _token(service_code, start + limit)
        return json.dumps(result)

    return respond


def _get_response(self) -> str:
    params = json.loads(self.body or "{}")
    service_code, quota_code = str(params.get("ServiceCode")), str(params.get("QuotaCode"))
    for quota in self.backend.quotas(service_code, applied=True):
        if quota["QuotaCode"] == quota_code:
            return json.dumps({"Quota": quota})
    raise JsonRESTError("NoSuchResourceException",
                        f"The quota {quota_code} does not exist for the service {service_code}.")


def _filter_applied(quotas: list[dict], params: dict) -> list[dict]:
    level = params.get("QuotaAppliedAtLevel") or "ACCOUNT"
    if level not in ("ACCOUNT", "RESOURCE", "ALL"):
        raise JsonRESTError("ValidationException", f"1 validation error detected: Value '{level}' at "
                            "'quotaAppliedAtLevel' failed to satisfy constraint: Member must satisfy enum value "
                            "set: [ACCOUNT, RESOURCE, ALL]")
    if level == "RESOURCE":  # every quota here applies to the account
        return []
    code = params.get("QuotaCode")
    return [q for q in quotas if code is None or q["QuotaCode"] == code]


def _limit(value) -> int:
    limit = DEFAULT_PAGE if value is None else int(value)
    if not 1 <= limit <= 100:
        raise JsonRESTError("ValidationException", f"1 validation error detected: Value '{limit}' at 'maxResults' "
                            "failed to satisfy constraint: Member must have value less than or equal to 100")
    return limit


def _token(service_code: str, offset: int) -> str:
    return base64.b64encode(json.dumps({"s": service_code, "o": offset}).encode()).decode()


def _offset(token: str | None, service_code: str, total: int) -> int:
    if not token:
        return 0
    try:
        decoded = json.loads(base64.b64decode(token, validate=True))
        if decoded["s"] == service_code and 0 <= int(decoded["o"]) <= total:
            return int(decoded["o"])
    except (ValueError, KeyError, TypeError):
        pass
    raise JsonRESTError("InvalidPaginationTokenException", "Invalid pagination token.")
