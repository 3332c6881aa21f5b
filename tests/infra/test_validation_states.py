"""The validation stage of the training state machine: a size Choice between the Lambda and a
Processing job that profiles large objects, both ending in the same verdict."""

from __future__ import annotations

import json

from mlops_core.processing_request import entrypoint
from tests.infra.helpers import as_list, definition, policy_statements, render


def _states(synthesized) -> dict:
    return definition(synthesized)["States"]


def test_the_object_size_picks_the_validation_path(synthesized):
    states = _states(synthesized)
    assert states["CheckRequest"]["Default"] == "ValidationRoute"
    route = states["ValidationRoute"]
    assert route["Default"] == "ValidateData"
    (large,) = route["Choices"]
    assert large["Next"] == "CreateValidationJob"
    assert {"Variable": "$.data.size", "NumericGreaterThanPath": "$.settings.validation.processing_above_bytes"} \
        in large["And"]


def test_both_paths_write_the_same_result_and_share_the_verdict(synthesized):
    states = _states(synthesized)
    for name in ("ValidateData", "JudgeDataProfile"):
        assert states[name]["ResultPath"] == "$.validation"
        assert states[name]["Next"] == "DataValid"
        assert states[name]["Catch"][0]["Next"] == "DataValidationFailed"
    assert states["JudgeDataProfile"]["Parameters"]["profile.$"] == "$.paths.data_profile"
    assert states["ValidationJobStatus"]["Choices"][0]["Next"] == "JudgeDataProfile"


def test_the_validation_job_profiles_the_uploaded_key_into_the_quality_prefix(synthesized):
    request = _states(synthesized)["CreateValidationJob"]["Parameters"]
    assert request["ProcessingJobName.$"] == "$.jobs.validation"
    assert request["AppSpecification"]["ContainerEntrypoint"] == entrypoint("validate.py")
    assert "Environment" not in request  # moto drops it; arguments reach the job everywhere
    inputs = {i["InputName"]: i["S3Input"] for i in request["ProcessingInputs"]}
    assert inputs["data"]["S3Uri.$"] == "States.Format('s3://{}/{}', $.data.bucket, $.data.key)"
    (output,) = request["ProcessingOutputConfig"]["Outputs"]
    assert output["S3Output"]["S3Uri.$"] == "$.paths.data_quality"
    assert "States.Format('--target={}', $.settings.target)" in request["AppSpecification"]["ContainerArguments.$"]


def test_validate_data_may_write_reports_and_contracts_but_only_read_datasets(synthesized):
    statements = policy_statements(synthesized, "ValidateData")
    writes = [s for s in statements if "s3:PutObject" in as_list(s["Action"])]
    assert writes and all("models/*" in str(s["Resource"]) for s in writes)
    reads = " ".join(str(s["Resource"]) for s in statements if "s3:GetObject" in as_list(s["Action"]))
    assert "contracts/*" in reads and "datasets/*" in reads
    assert any("s3:ListBucket" in as_list(s["Action"]) for s in statements)


def test_settings_carry_the_validation_thresholds(synthesized):
    parameter = next(p for p in synthesized.resources("AWS::SSM::Parameter").values()
                     if p["Properties"]["Name"].endswith("/penguins"))
    document = json.loads(render(parameter["Properties"]["Value"]))
    assert document["validation"]["min_rows"] == synthesized.config.model("penguins").validation.min_rows
    assert "processing_above_bytes" in document["validation"]


def test_a_failed_validation_job_reports_its_exit_message_as_the_cause(synthesized):
    """validate.py writes `Validation failed: <reason>` to /opt/ml/output/message; on AWS that is
    the job's ExitMessage, while FailureReason only points at the logs."""
    states = _states(synthesized)
    _, message, *_ = states["ValidationJobStatus"]["Choices"]
    assert message["Next"] == "ValidationJobExitMessage"
    assert {"Variable": "$.validation_job.ExitMessage", "IsPresent": True} in message["And"]
    cause = states["ValidationJobExitMessage"]
    assert cause["Parameters"] == {"Error": "DataValidationFailed", "Cause.$": "$.validation_job.ExitMessage"}
    assert cause["Next"] == "DataValidationFailed"
