"""ValidateData: the exact object version against the model's data contract; bad data is a
result, never an error; the reports land next to the data version either way."""

from __future__ import annotations

import io
import json

import pytest

from lambdas.validate_data.handler import lambda_handler
from mlops_core.data_profile import profile_csv_stream
from mlops_core.execution_input import build_execution_input
from mlops_core.uploads import UploadedObject
from tests.lambdas.builders import ARTIFACTS_BUCKET, DATA_BUCKET, PENGUINS_SETTINGS, upload

KEY = "datasets/penguins/upload.csv"
REPORTS = ("statistics.json", "constraints.json", "constraint_violations.json", "summary.md")


def _event(data: dict, **extra) -> dict:
    execution_input = build_execution_input(upload=UploadedObject.from_dict(data), model="penguins",
                                            settings=PENGUINS_SETTINGS, artifacts_bucket=ARTIFACTS_BUCKET,
                                            poll_seconds=1)
    return {"data": data, "settings": PENGUINS_SETTINGS, "paths": execution_input["paths"], **extra}


def _validate(s3, lambda_context, body: bytes, key: str = KEY) -> tuple[dict, dict]:
    event = _event(upload(s3, key, body))
    return lambda_handler(event, lambda_context), event["paths"]


def _keys(s3, prefix: str) -> set[str]:
    listed = s3.list_objects_v2(Bucket=ARTIFACTS_BUCKET, Prefix=prefix).get("Contents", [])
    return {item["Key"][len(prefix):] for item in listed}


def _read(s3, uri: str) -> bytes:
    bucket, _, key = uri[len("s3://"):].partition("/")
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_the_first_valid_upload_establishes_the_contract_and_writes_its_reports(s3, lambda_context, penguins_csv):
    result, paths = _validate(s3, lambda_context, penguins_csv)
    assert (result["valid"], result["rows"], result["contract"]["origin"]) == (True, 344, "new")
    assert set(result) == {"valid", "rows", "columns", "problems", "warnings", "contract", "summary"}
    assert _keys(s3, "models/penguins/contract/") == {"constraints.json", "statistics.json"}
    quality = paths["data_quality"].split(f"{ARTIFACTS_BUCKET}/", 1)[1]
    assert set(REPORTS) <= _keys(s3, quality)
    assert _read(s3, paths["data_summary"]).decode().startswith("# Data validation: accepted")


def test_a_later_upload_is_checked_against_the_established_contract(s3, lambda_context, penguins_csv):
    _validate(s3, lambda_context, penguins_csv)
    extra = penguins_csv.replace(b"\n", b",x\n").replace(b",x\n", b",colour\n", 1)
    result, paths = _validate(s3, lambda_context, extra, key="datasets/penguins/second.csv")
    assert result["valid"] is False and result["contract"]["origin"] == "established"
    assert [(p["check"], p["column"]) for p in result["problems"]] == [("extra_column_check", "colour")]
    assert "[extra_column_check] column 'colour'" in result["summary"]
    violations = json.loads(_read(s3, paths["data_violations"]))["violations"]
    assert violations[0]["constraint_check_type"] == "extra_column_check"


def test_a_user_contract_wins_and_none_is_established(s3, lambda_context, penguins_csv):
    contract = {"features": [{"name": "island", "inferred_type": "String"}]}
    s3.put_object(Bucket=DATA_BUCKET, Key="contracts/penguins/constraints.json", Body=json.dumps(contract))
    result, _ = _validate(s3, lambda_context, penguins_csv)
    assert result["contract"] == {"origin": "user", "constraints": f"s3://{DATA_BUCKET}/contracts/penguins/constraints.json"}
    assert {p["check"] for p in result["problems"]} == {"extra_column_check"}
    assert _keys(s3, "models/penguins/contract/") == set()


def test_bad_input_is_a_result_with_reports(s3, lambda_context):
    result, paths = _validate(s3, lambda_context, b"species;island\nAdelie;Dream\n")
    assert result["valid"] is False and result["problems"][0]["check"] == "wrong_delimiter"
    assert "[wrong_delimiter]" in _read(s3, paths["data_summary"]).decode()


def test_the_requested_version_is_validated_not_the_latest(s3, lambda_context, penguins_csv):
    first = upload(s3, KEY, b"")
    upload(s3, KEY, penguins_csv)
    result = lambda_handler(_event(first), lambda_context)
    assert result["problems"][0]["check"] == "empty_file"


def _with_profile(s3, body: bytes, *, size: int) -> dict:
    data = {"bucket": DATA_BUCKET, "key": KEY, "version_id": "v1", "etag": "e", "size": size}
    event = _event(data)
    profile = profile_csv_stream(io.BytesIO(body), target="species", classification=True, max_field_bytes=1 << 20)
    bucket, _, key = event["paths"]["data_profile"][len("s3://"):].partition("/")
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(profile.to_dict()))
    return {**event, "profile": event["paths"]["data_profile"]}


def test_a_processing_job_profile_is_judged_the_same_way(s3, lambda_context, penguins_csv):
    result = lambda_handler(_with_profile(s3, penguins_csv, size=len(penguins_csv)), lambda_context)
    assert (result["valid"], result["rows"], result["contract"]["origin"]) == (True, 344, "new")


def test_a_profile_of_a_since_overwritten_object_is_rejected(s3, lambda_context, penguins_csv):
    result = lambda_handler(_with_profile(s3, penguins_csv, size=len(penguins_csv) + 5), lambda_context)
    assert [p["check"] for p in result["problems"]] == ["object_changed"]


def test_a_missing_profile_is_an_error_for_the_state_machine_to_catch(s3, lambda_context):
    event = {**_event({"bucket": DATA_BUCKET, "key": KEY, "version_id": "v1", "size": 5}), "profile": None}
    event["profile"] = event["paths"]["data_profile"]
    with pytest.raises(ValueError, match="no profile"):
        lambda_handler(event, lambda_context)


def test_bad_settings_fail_naming_the_key(s3, lambda_context, penguins_csv):
    event = _event(upload(s3, KEY, penguins_csv))
    event["settings"] = {**PENGUINS_SETTINGS, "validation": {"min_rows": "many"}}
    with pytest.raises(ValueError, match="settings.validation.min_rows"):
        lambda_handler(event, lambda_context)
