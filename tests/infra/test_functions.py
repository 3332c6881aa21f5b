"""The pipeline's Lambda functions and their code assets."""

from __future__ import annotations

import pytest

from tests.infra.helpers import as_list, policy_statements, render

FUNCTIONS = {"StartPipeline": "start-pipeline", "ValidateData": "validate-data", "PrepareData": "prepare-data"}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_runs_the_handler_with_the_layer_tracing_and_its_own_log_group(synthesized, name):
    function = synthesized.resource("AWS::Lambda::Function", f"{name}Function")["Properties"]
    layer = synthesized.logical_id("AWS::Lambda::LayerVersion", "DependenciesLayer")
    log_group = synthesized.logical_id("AWS::Logs::LogGroup", f"{name}Logs")
    assert function["Handler"] == "handler.lambda_handler"
    assert function["Runtime"] == "python3.13"
    assert function["Architectures"] == ["x86_64"]
    assert function["Layers"] == [{"Ref": layer}]
    assert function["TracingConfig"] == {"Mode": "Active"}
    assert function["LoggingConfig"] == {"LogGroup": {"Ref": log_group}}
    assert synthesized.template["Resources"][log_group]["Properties"]["RetentionInDays"] == 30
    variables = function["Environment"]["Variables"]
    assert variables["POWERTOOLS_SERVICE_NAME"] == FUNCTIONS[name]
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "MlopsStack"


def test_start_pipeline_gets_the_contract_environment(synthesized):
    variables = synthesized.resource("AWS::Lambda::Function", "StartPipelineFunction")[
        "Properties"]["Environment"]["Variables"]
    machine = synthesized.logical_id("AWS::StepFunctions::StateMachine", "TrainingPipeline")
    artifacts = synthesized.logical_id("AWS::S3::Bucket", "StorageArtifacts")
    assert variables["STATE_MACHINE_ARN"] == {"Ref": machine}
    assert variables["SETTINGS_PARAMETER_PREFIX"] == "/MlopsStack/models/"
    assert variables["ARTIFACTS_BUCKET"] == {"Ref": artifacts}
    assert variables["POLL_SECONDS"] == "7"


def test_roles_carry_no_managed_policies(synthesized):
    for role in synthesized.resources("AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]


def test_start_pipeline_may_start_runs_and_read_model_settings_only(synthesized):
    machine = synthesized.logical_id("AWS::StepFunctions::StateMachine", "TrainingPipeline")
    actions = {action: s["Resource"] for s in policy_statements(synthesized, "StartPipelineRole")
               for action in as_list(s["Action"])}
    assert actions["states:StartExecution"] == {"Ref": machine}
    assert "ssm:GetParameter" in actions
    queue = synthesized.logical_id("AWS::SQS::Queue", "UploadTrigger")
    assert actions["sqs:SendMessage"] == {"Fn::GetAtt": [queue, "Arn"]}
    assert not [a for a in actions if a.startswith(("sagemaker:", "iam:"))]
    # S3: only the models' latest accepted data records, which retraining requests start from, and
    # the alarm cooldown records (tests/infra/test_monitoring_stack.py); listing tells missing from denied.
    assert sorted(a for a in actions if a.startswith("s3:")) == ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]
    reads = [render(r) for s in policy_statements(synthesized, "StartPipelineRole")
             if "s3:GetObject" in as_list(s["Action"]) for r in as_list(s["Resource"])]
    assert sorted(reads) == ["<<TOKEN>>/models/*/data/latest.json", "<<TOKEN>>/models/*/retraining/*"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_code_asset_holds_the_handler_and_mlops_core_at_its_root(synthesized, name):
    root = synthesized.asset_dir(synthesized.resource("AWS::Lambda::Function", f"{name}Function"))
    assert (root / "handler.py").is_file()
    assert (root / "mlops_core" / "__init__.py").is_file()
    assert not list(root.rglob("__pycache__")) and not list(root.rglob("*.pyc"))
