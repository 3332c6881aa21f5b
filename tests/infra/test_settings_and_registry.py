"""Per-model SSM settings (contracts.md) and model package groups, with a two-model config."""

from __future__ import annotations

import json

from tests.infra.helpers import render, tokens

SUBMIT_DIR = "s3://assets-bucket/job-code.gz"


def _settings(synthesized) -> dict[str, dict]:
    return {p["Properties"]["Name"]: p["Properties"] for p in synthesized.resources("AWS::SSM::Parameter").values()}


def test_one_string_parameter_per_model(synthesized):
    parameters = _settings(synthesized)
    assert set(parameters) == {"/MlopsStack/models/penguins", "/MlopsStack/models/house-prices"}
    assert {p["Type"] for p in parameters.values()} == {"String"}


def test_the_value_is_the_settings_document_of_the_config(synthesized):
    for model in synthesized.config.models:
        value = _settings(synthesized)[f"/MlopsStack/models/{model.name}"]["Value"]
        # The one deploy-time part is the job code URL.
        rendered = json.loads(render(value, token=SUBMIT_DIR))
        assert rendered == model.settings_document(region="us-east-1", submit_directory=SUBMIT_DIR)


def test_sagemaker_hyperparameters_are_json_encoded_like_the_sdk_does(synthesized):
    value = _settings(synthesized)["/MlopsStack/models/house-prices"]["Value"]
    hyperparameters = json.loads(render(value, token=SUBMIT_DIR))["hyperparameters"]
    assert hyperparameters["sagemaker_program"] == '"train.py"'
    assert hyperparameters["sagemaker_submit_directory"] == f'"{SUBMIT_DIR}"'
    assert hyperparameters["sagemaker_region"] == '"us-east-1"'
    assert hyperparameters["alpha"] == "0.5" and hyperparameters["fit_intercept"] == "true"
    # In the parameter's text itself: "sagemaker_program":"\"train.py\""
    assert '"sagemaker_program":"\\"train.py\\""' in render(value)


def test_the_job_code_url_is_the_job_code_asset(synthesized):
    value = _settings(synthesized)["/MlopsStack/models/penguins"]["Value"]
    [url] = tokens(value)
    archive = next(synthesized.outdir.glob("asset.*.tar.gz"))
    asset_hash = archive.name.removeprefix("asset.").removesuffix(".tar.gz")
    assert url["Fn::Sub"].startswith("s3://cdk-hnb659fds-assets-${AWS::AccountId}-us-east-1/")
    assert url["Fn::Sub"].endswith(f"/{asset_hash}.gz")


def test_one_retained_model_package_group_per_model(synthesized):
    groups = synthesized.resources("AWS::SageMaker::ModelPackageGroup").values()
    assert {g["Properties"]["ModelPackageGroupName"] for g in groups} == {
        "MlopsStack-penguins", "MlopsStack-house-prices"}
    assert {g["DeletionPolicy"] for g in groups} == {"Retain"}


def test_outputs_name_the_buckets_and_the_pipeline(synthesized):
    outputs = synthesized.template["Outputs"]
    assert outputs["DataBucketName"]["Value"] == {"Ref": synthesized.logical_id("AWS::S3::Bucket", "StorageData")}
    assert outputs["ArtifactsBucketName"]["Value"] == {
        "Ref": synthesized.logical_id("AWS::S3::Bucket", "StorageArtifacts")}
    assert outputs["TrainingPipelineArn"]["Value"] == {
        "Ref": synthesized.logical_id("AWS::StepFunctions::StateMachine", "TrainingPipeline")}
    assert outputs["SettingsParameterPrefix"]["Value"] == "/MlopsStack/models/"
