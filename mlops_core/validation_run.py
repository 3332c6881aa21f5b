"""ValidateData's one core call: profile (or load the Processing job's profile), judge against
the contract, establish the contract if this is the first accepted dataset, write the reports.

S3 is reached through the client passed in (boto3's), so this module imports no AWS SDK.
Every run writes statistics.json, constraints.json, constraint_violations.json and summary.md
under ``paths.data_quality``, accepted or not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mlops_core.contracts import CONSTRAINTS_FILE, STATISTICS_FILE, Contract, ContractError, load_contract
from mlops_core.data_profile import DataProfile, profile_csv_stream
from mlops_core.quality_summary import render_summary
from mlops_core.s3uri import parse_s3_uri
from mlops_core.settings import DataSettings
from mlops_core.uploads import UploadedObject
from mlops_core.validation import Verdict, judge
from mlops_core.validation_report import ValidationReport

_JSON = "application/json"


@dataclass(frozen=True)
class QualityPaths:
    """The execution input's paths that validation uses (docs/contracts.md)."""

    statistics: str
    constraints: str
    violations: str
    summary: str
    quality: str
    contract: str
    user_contract: str

    @classmethod
    def from_paths(cls, paths: dict[str, str]) -> QualityPaths:
        return cls(statistics=paths["data_statistics"], constraints=paths["data_constraints"],
                   violations=paths["data_violations"], summary=paths["data_summary"],
                   quality=paths["data_quality"], contract=paths["data_contract"],
                   user_contract=paths["user_contract"])


def validate_object(s3: Any, *, upload: UploadedObject, settings: DataSettings, paths: QualityPaths,
                    profile_uri: str | None = None) -> ValidationReport:
    """Validate the exact uploaded version, or judge the profile a Processing job left at ``profile_uri``."""
    if profile_uri is None:
        profile = _profile_object(s3, upload, settings)
        expected_bytes = None  # read by version id: nothing else can have been read
    else:
        document = _read_json(s3, profile_uri)
        if document is None:
            raise ValueError(f"the validation job left no profile at {profile_uri}")
        profile = DataProfile.from_dict(document)
        expected_bytes = upload.size
    for _attempt in range(2):  # a second pass only if another run established the contract meanwhile
        contract, error = _contract(s3, paths, settings.target)
        verdict = judge(profile, settings=settings, contract=contract, contract_error=error,
                        source=upload.describe(), expected_bytes=expected_bytes, report_uri=paths.summary)
        if not verdict.establish or _establish(s3, paths, verdict.constraints, profile.statistics):
            break
    _write_reports(s3, paths, verdict, profile, upload)
    return verdict.report


def _profile_object(s3: Any, upload: UploadedObject, settings: DataSettings) -> DataProfile:
    body = s3.get_object(Bucket=upload.bucket, Key=upload.key, VersionId=upload.version_id)["Body"]
    try:
        return profile_csv_stream(body, target=settings.target, classification=settings.is_classification,
                                  max_field_bytes=settings.validation.max_field_bytes)
    finally:
        body.close()


def _contract(s3: Any, paths: QualityPaths, target: str) -> tuple[Contract | None, str | None]:
    try:
        return load_contract(lambda uri: _read_json(s3, uri), user_prefix=paths.user_contract,
                             established_prefix=paths.contract, target=target), None
    except ContractError as error:
        return None, str(error)


def _establish(s3: Any, paths: QualityPaths, constraints: dict, statistics: dict) -> bool:
    """Write the contract unless one appeared meanwhile (conditional put); True when written."""
    bucket, key = parse_s3_uri(paths.contract + CONSTRAINTS_FILE)
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=_dumps(constraints), ContentType=_JSON, IfNoneMatch="*")
    except s3.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("PreconditionFailed", "ConditionalRequestConflict"):
            return False
        raise
    _put(s3, paths.contract + STATISTICS_FILE, _dumps(statistics), _JSON)
    return True


def _write_reports(s3: Any, paths: QualityPaths, verdict: Verdict, profile: DataProfile,
                   upload: UploadedObject) -> None:
    if profile.statistics is not None:
        _put(s3, paths.statistics, _dumps(profile.statistics), _JSON)
    if verdict.constraints is not None:
        _put(s3, paths.constraints, _dumps(verdict.constraints), _JSON)
    _put(s3, paths.violations, _dumps(verdict.violations), _JSON)
    data = f"{upload.describe()}, {profile.bytes_read} bytes"
    summary = render_summary(verdict.report, statistics=profile.statistics, data=data, quality_prefix=paths.quality)
    _put(s3, paths.summary, summary.encode("utf-8"), "text/markdown; charset=utf-8")


def _read_json(s3: Any, uri: str) -> dict | None:
    bucket, key = parse_s3_uri(uri)
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ContractError(f"{uri} is not valid JSON: {error}") from None


def _put(s3: Any, uri: str, body: bytes, content_type: str) -> None:
    bucket, key = parse_s3_uri(uri)
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


def _dumps(document: dict) -> bytes:
    return json.dumps(document, indent=2, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    # numpy scalars that slipped into a document
    return value.item() if hasattr(value, "item") else str(value)
