"""Per-model SSM settings (contracts.md) and model package groups, with a two-model config."""

from __future__ import annotations

import json

from tests.infra.helpers import TOKEN, definition, render, tokens

# The jobs run network-isolated: the code is the `code` channel's file in the container.
CODE_CHANNEL_DIR = "/opt/ml/input/data/code"


def _asset_hash(synthesized) -> str:
    archive = next(synthesized.outdir.glob("asset.*.tar.gz"))
    return archive.name.removeprefix("asset.").removesuffix(".tar.gz")


def _settings(synthesized) -> dict[str, dict]:
    return {p["Properties"]["Name"]: p["Properties"] for p in synthesized.resources("AWS::SSM::Parameter").values()}


def test_one_string_parameter_per_model(synthesized):
    parameters = _settings(synthesized)
    assert set(parameters) == {"/MlopsStack/models/penguins", "/MlopsStack/models/house-prices"}
    assert {p["Type"] for p in parameters.values()} == {"String"}


def test_the_value_is_the_settings_document_of_the_config(synthesized):
    for model in synthesized.config.models:
        value = _settings(synthesized)[f"/MlopsStack/models/{model.name}"]["Value"]
        submit_directory = f"{CODE_CHANNEL_DIR}/{_asset_hash(synthesized)}.gz"
        assert tokens(value) == []  # nothing is left to deploy time
        assert json.loads(render(value)) == model.settings_document(region="us-east-1",
                                                                    submit_directory=submit_directory)


def test_sagemaker_hyperparameters_are_json_encoded_like_the_sdk_does(synthesized):
    value = _settings(synthesized)["/MlopsStack/models/house-prices"]["Value"]
    hyperparameters = json.loads(render(value))["hyperparameters"]
    assert hyperparameters["sagemaker_program"] == '"train.py"'
    assert hyperparameters["sagemaker_submit_directory"] == f'"{CODE_CHANNEL_DIR}/{_asset_hash(synthesized)}.gz"'
    assert hyperparameters["sagemaker_region"] == '"us-east-1"'
    assert hyperparameters["alpha"] == "0.5" and hyperparameters["fit_intercept"] == "true"
    # In the parameter's text itself: "sagemaker_program":"\"train.py\""
    assert '"sagemaker_program":"\\"train.py\\""' in render(value)


def test_the_job_code_channel_is_the_job_code_asset(synthesized):
    request = definition(synthesized)["States"]["CreateTrainingJob"]["Parameters"]
    [code] = [c for c in request["InputDataConfig"] if c["ChannelName"] == "code"]
    assert code["DataSource"]["S3DataSource"]["S3Uri"] == TOKEN  # the asset's URL, resolved at deploy
    machine = synthesized.resource("AWS::StepFunctions::StateMachine", "TrainingPipeline")
    urls = {p["Fn::Sub"] for p in tokens(machine["Properties"]["DefinitionString"]) if "Fn::Sub" in p}
    assert urls == {f"s3://cdk-hnb659fds-assets-${{AWS::AccountId}}-us-east-1/{_asset_hash(synthesized)}.gz"}


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
