"""The registry commands find the stack and say what to do when they cannot (no tracebacks).
Their behaviour against a running stack is covered in tests/e2e_registry."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from moto import mock_aws

from mlops.cli.main import cli

OUTPUTS = {"TrainingPipelineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:P",
           "SettingsParameterPrefix": "/MlopsStack/models/", "ArtifactsBucketName": "artifacts"}
ENV = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
       "AWS_MAX_ATTEMPTS": "1", "MLOPS_OUTPUTS_FILE": None, "MLOPS_STACK": None, "AWS_ENDPOINT_URL": None}


def _run(*args, **env):
    result = CliRunner().invoke(cli, list(args), env={**ENV, **env})
    assert "Traceback" not in result.output
    return result


def _outputs(tmp_path, document) -> str:
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(document))
    return str(path)


@pytest.mark.parametrize("command", [["models", "penguins"], ["runs", "penguins"], ["approve", "penguins"],
                                     ["reject", "penguins"], ["retrain", "penguins"]])
def test_a_missing_outputs_file_is_named(tmp_path, command):
    result = _run(*command, "--outputs-file", str(tmp_path / "nope.json"))
    assert result.exit_code == 1 and "cannot read stack outputs from" in result.output


def test_several_stacks_in_the_outputs_file_need_a_choice(tmp_path):
    path = _outputs(tmp_path, {"A": OUTPUTS, "B": OUTPUTS})
    result = _run("models", "penguins", "--outputs-file", path)
    assert result.exit_code == 1 and "holds several stacks (A, B); choose one with --stack" in result.output


def test_outputs_of_another_kind_of_stack_are_refused(tmp_path):
    path = _outputs(tmp_path, {"Other": {"BucketName": "b"}})
    result = _run("models", "penguins", "--outputs-file", path)
    assert result.exit_code == 1 and "lacks the output(s) TrainingPipelineArn" in result.output


def test_an_unreachable_endpoint_is_reported_as_such(tmp_path):
    path = _outputs(tmp_path, {"MlopsStack": OUTPUTS})
    result = _run("models", "penguins", "--outputs-file", path, AWS_ENDPOINT_URL="http://127.0.0.1:9")
    assert result.exit_code == 1 and "cannot reach http://127.0.0.1:9" in result.output


def test_without_an_outputs_file_the_stack_is_looked_up_in_cloudformation():
    with mock_aws():
        result = _run("models", "penguins", "--stack", "Missing")
    assert result.exit_code == 1
    assert "stack Missing was not found through CloudFormation" in result.output and "--outputs-file" in result.output


def test_an_unknown_model_is_named_with_the_configured_ones(tmp_path):
    path = _outputs(tmp_path, {"MlopsStack": OUTPUTS})
    with mock_aws():
        import boto3

        boto3.client("ssm", region_name="us-east-1").put_parameter(
            Name="/MlopsStack/models/penguins", Value="{}", Type="String")
        result = _run("approve", "otters", "--outputs-file", path)
    assert result.exit_code == 1
    assert "model 'otters' is not configured in stack MlopsStack" in result.output and "penguins" in result.output


def test_retrain_before_any_accepted_data_says_to_upload_first(tmp_path):
    path = _outputs(tmp_path, {"MlopsStack": OUTPUTS})
    with mock_aws():
        import boto3

        boto3.client("ssm", region_name="us-east-1").put_parameter(
            Name="/MlopsStack/models/penguins", Value="{}", Type="String")
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="artifacts")
        result = _run("retrain", "penguins", "--outputs-file", path)
    assert result.exit_code == 1
    assert "'penguins' has no accepted data version yet" in result.output
    assert "upload a CSV under datasets/penguins/ first" in result.output


def test_a_model_named_like_a_subcommand_is_listed_with_runs_list(tmp_path):
    path = _outputs(tmp_path, {"MlopsStack": OUTPUTS})
    with mock_aws():
        result = _run("runs", "list", "show", "--outputs-file", path)
    assert result.exit_code == 1 and "model 'show' is not configured in stack MlopsStack" in result.output


def test_runs_list_without_a_model_asks_for_one(tmp_path):
    result = _run("runs", "list", "--outputs-file", _outputs(tmp_path, {"MlopsStack": OUTPUTS}))
    assert result.exit_code == 2 and "name the model: mlops runs MODEL" in result.output
