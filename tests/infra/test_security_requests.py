"""Bad requests end a run in its first state, before anything reads the object: keys the
pipeline cannot carry (UnsupportedKey) and objects above the model's size limit
(ObjectTooLarge). StartPipeline knows the data bucket, so it can ignore any other."""

from __future__ import annotations

from tests.infra.helpers import definition


def test_an_unsupported_key_fails_with_the_rejection_cause(synthesized):
    states = definition(synthesized)["States"]
    assert {"Variable": "$.rejection.error", "StringEquals": "UnsupportedKey",
            "Next": "RejectUnsupportedKey"} in states["RejectionKind"]["Choices"]
    assert states["RejectUnsupportedKey"] == {"Type": "Fail", "Error": "UnsupportedKey",
                                              "CausePath": "$.rejection.cause"}


def test_an_object_above_the_limit_fails_before_validation_with_size_and_limit_in_the_cause(synthesized):
    states = definition(synthesized)["States"]
    check = states["CheckRequest"]
    [oversized] = [c for c in check["Choices"] if c["Next"] == "ObjectTooLargeCause"]
    conditions = oversized["And"]
    assert {"Variable": "$.data.size", "NumericGreaterThanPath": "$.settings.validation.max_object_bytes"} in conditions
    assert {"Variable": "$.settings.validation.max_object_bytes", "IsPresent": True} in conditions
    cause = states["ObjectTooLargeCause"]["Parameters"]
    assert cause["Error"] == "ObjectTooLarge"
    assert "$.data.size, $.settings.validation.max_object_bytes, $.model)" in cause["Cause.$"]
    assert states["ObjectTooLarge"] == {"Type": "Fail", "Error": "ObjectTooLarge", "CausePath": "$.failure.Cause"}
    assert check["Default"] == "ValidationRoute"  # everything else goes on to validation


def test_the_limit_is_in_every_models_settings(synthesized):
    import json

    from tests.infra.helpers import render

    for parameter in synthesized.resources("AWS::SSM::Parameter").values():
        validation = json.loads(render(parameter["Properties"]["Value"]))["validation"]
        assert validation["max_object_bytes"] == 2 * 1024 ** 3


def test_start_pipeline_knows_the_data_bucket(synthesized):
    variables = synthesized.resource("AWS::Lambda::Function", "StartPipelineFunction")["Properties"][
        "Environment"]["Variables"]
    assert variables["DATA_BUCKET"] == {"Ref": synthesized.logical_id("AWS::S3::Bucket", "StorageData")}
