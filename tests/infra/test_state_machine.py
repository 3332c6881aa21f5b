"""The training state machine, read back from the rendered DefinitionString."""

from __future__ import annotations

import json
import re

import pytest

from infra.stack import sklearn_image
from infra.training_pipeline.train import METRIC_NAMES
from tests.infra.helpers import TOKEN, as_list, definition, policy_statements

FAIL_STATES = {
    "RejectUnknownModel": "UnknownModel",
    "RejectUnsupportedFile": "UnsupportedFile",
    "DataValidationFailed": "DataValidationFailed",
    "PreparationFailed": "PreparationFailed",
    "TrainingFailed": "TrainingFailed",
    "EvaluationFailed": "EvaluationFailed",
    "RegistrationFailed": "RegistrationFailed",
}
MAIN_PATH = ["CheckRequest", "ValidateData", "DataValid", "PrepareData", "CreateTrainingJob", "WaitForTraining",
             "DescribeTrainingJob", "TrainingStatus", "CreateEvaluationJob", "WaitForEvaluation",
             "DescribeEvaluationJob", "EvaluationStatus", "RegisterModel", "Succeeded"]


@pytest.fixture(scope="module")
def states(synthesized) -> dict:
    return definition(synthesized)["States"]


def test_the_run_starts_by_checking_the_request(synthesized):
    assert definition(synthesized)["StartAt"] == "CheckRequest"


def test_every_stage_state_is_present(states):
    assert set(MAIN_PATH) | set(FAIL_STATES) <= set(states)


@pytest.mark.parametrize(("name", "error"), FAIL_STATES.items())
def test_fail_states_name_their_error_and_read_the_cause_from_a_path(states, name, error):
    assert states[name]["Type"] == "Fail"
    assert states[name]["Error"] == error
    expected = "$.rejection.cause" if name.startswith("Reject") else "$.failure.Cause"
    assert states[name]["CausePath"] == expected


def test_every_task_catches_everything_into_a_fail_state(states):
    tasks = {name: state for name, state in states.items() if state["Type"] == "Task"}
    assert len(tasks) >= 7  # the single-job path has 7; tuning and later stages add more
    for name, task in tasks.items():
        [catch] = task["Catch"]
        assert catch["ErrorEquals"] == ["States.ALL"] and catch["ResultPath"] == "$.failure", name
        # CreateExperiment fails for every run after a model's first; DescribeExperiment decides.
        handler = states["DescribeExperiment"]["Catch"][0]["Next"] if name == "CreateExperiment" else catch["Next"]
        assert states[handler]["Type"] == "Fail", name


def test_sagemaker_is_called_through_the_aws_sdk_integration_without_sync(states):
    resources = {name: state["Resource"] for name, state in states.items() if state["Type"] == "Task"}
    assert not [r for r in resources.values() if ".sync" in r or ":::sagemaker:" in r]
    assert resources["CreateTrainingJob"].endswith(":states:::aws-sdk:sagemaker:createTrainingJob")
    assert resources["DescribeTrainingJob"].endswith(":states:::aws-sdk:sagemaker:describeTrainingJob")
    assert resources["CreateEvaluationJob"].endswith(":states:::aws-sdk:sagemaker:createProcessingJob")
    assert resources["DescribeEvaluationJob"].endswith(":states:::aws-sdk:sagemaker:describeProcessingJob")
    assert resources["RegisterModel"].endswith(":states:::aws-sdk:sagemaker:createModelPackage")


def test_waits_read_the_poll_interval_from_the_execution_input(states):
    waits = [state for state in states.values() if state["Type"] == "Wait"]
    assert len(waits) >= 2  # training and evaluation; tuning adds its own
    assert all(wait == {"Type": "Wait", "SecondsPath": "$.poll_seconds", "Next": wait["Next"]} for wait in waits)


@pytest.mark.parametrize(("kind", "status"), [("Training", "TrainingJobStatus"), ("Evaluation", "ProcessingJobStatus")])
def test_job_status_loops_back_and_normalises_failures(states, kind, status):
    choice = states[f"{kind}Status"]
    assert choice["Default"] == f"WaitFor{kind}"
    assert states[f"WaitFor{kind}"]["Next"] == f"Describe{kind}Job"
    assert choice["Choices"][0]["StringEquals"] == "Completed"
    assert choice["Choices"][0]["Variable"].endswith(f".{status}")
    reason = states[f"{kind}FailureReason"]
    assert reason["ResultPath"] == "$.failure" and reason["Next"] == f"{kind}Failed"
    assert reason["Parameters"]["Cause.$"].endswith(".FailureReason")
    assert states[f"{kind}FailureStatus"]["Parameters"]["Cause.$"].startswith("States.Format(")


def test_invalid_data_ends_with_the_validation_summary_as_cause(states):
    assert states["DataValid"]["Choices"][0] == {
        "Variable": "$.validation.valid", "BooleanEquals": False, "Next": "DataInvalid"}
    assert states["DataInvalid"]["Parameters"]["Cause.$"] == "$.validation.summary"
    assert states["ValidateData"]["ResultPath"] == "$.validation"
    assert states["ValidateData"]["Parameters"] == {"data.$": "$.data", "settings.$": "$.settings",
                                                    "paths.$": "$.paths"}
    assert states["PrepareData"]["Parameters"] == {"data.$": "$.data", "settings.$": "$.settings",
                                                   "paths.$": "$.paths"}


def test_the_training_job_request(states, synthesized):
    request = states["CreateTrainingJob"]["Parameters"]
    algorithm = request["AlgorithmSpecification"]
    assert algorithm["TrainingImage"] == sklearn_image("us-east-1", "training")
    assert algorithm["TrainingImage"].endswith("/sagemaker-scikit-learn:1.9-0-cpu-py3")
    assert [m["Name"] for m in algorithm["MetricDefinitions"]] == list(METRIC_NAMES)
    assert all(m["Regex"] == f"{m['Name']}=([-+0-9.eE]+)" for m in algorithm["MetricDefinitions"])
    assert request["HyperParameters.$"] == "$.settings.hyperparameters"
    assert request["TrainingJobName.$"] == "$.jobs.training"
    channel, code = request["InputDataConfig"]  # the data and, the jobs being network-isolated, the job code
    assert channel["ChannelName"] == "train" and code["ChannelName"] == "code"
    assert channel["DataSource"]["S3DataSource"]["S3Uri.$"] == "$.paths.train"
    assert request["OutputDataConfig"] == {"S3OutputPath.$": "$.paths.training_output", "KmsKeyId": TOKEN}
    assert request["ResourceConfig"]["InstanceType.$"] == "$.settings.training.instance_type"
    assert request["StoppingCondition"] == {"MaxRuntimeInSeconds.$": "$.settings.training.max_runtime_seconds"}
    assert {tag["Key"]: tag["Value.$"] for tag in request["Tags"]}["mlops:data-version-id"] == "$.data.version_id"


def test_the_evaluation_job_request(states):
    request = states["CreateEvaluationJob"]["Parameters"]
    app = request["AppSpecification"]
    assert app["ContainerEntrypoint"][:2] == ["/bin/sh", "-c"]
    assert "exec python3 evaluate.py" in app["ContainerEntrypoint"][2]
    assert app["ContainerArguments.$"].startswith(
        "States.Array('--model-dir', '/opt/ml/processing/model', '--test-dir', '/opt/ml/processing/test', "
        "'--output-dir', '/opt/ml/processing/evaluation', '--gate', States.JsonToString($.settings.gate)")
    inputs = {i["InputName"]: i["S3Input"] for i in request["ProcessingInputs"]}
    assert inputs["code"]["LocalPath"] == "/opt/ml/processing/input/code"
    assert inputs["model"]["S3Uri.$"] == "$.training.ModelArtifacts.S3ModelArtifacts"
    assert inputs["test"]["S3Uri.$"] == "$.paths.test"
    [output] = request["ProcessingOutputConfig"]["Outputs"]
    assert output["OutputName"] == "evaluation"
    assert output["S3Output"]["S3Uri.$"] == "$.paths.evaluation_output"
    assert request["ProcessingOutputConfig"]["KmsKeyId"] == TOKEN


def test_the_model_package_request(states):
    request = states["RegisterModel"]["Parameters"]
    assert request["ModelPackageGroupName.$"] == "$.settings.model_package_group"
    assert request["ModelApprovalStatus.$"] == "$.settings.approval_status"
    [container] = request["InferenceSpecification"]["Containers"]
    assert container["Image"] == sklearn_image("us-east-1", "inference")
    assert container["Environment"]["SAGEMAKER_PROGRAM"] == "inference.py"
    assert request["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri.$"] == "$.paths.evaluation_report"
    assert {"DataBucket.$", "DataKey.$", "DataVersionId.$", "DataETag.$", "ExecutionArn.$", "RunId.$"} <= set(
        request["CustomerMetadataProperties"])
    assert states["RegisterModel"]["ResultPath"] == "$.registration"


def test_no_path_indexes_into_an_array(synthesized):
    text = json.dumps(definition(synthesized))
    paths = re.findall(r'"\$[^"]*"', text)
    assert paths and not [p for p in paths if "[" in p]


def test_the_state_machine_logs_everything_but_execution_data_and_traces(synthesized):
    properties = next(iter(synthesized.resources("AWS::StepFunctions::StateMachine").values()))["Properties"]
    assert properties["LoggingConfiguration"]["Level"] == "ALL"
    assert properties["LoggingConfiguration"]["IncludeExecutionData"] is False
    assert properties["TracingConfiguration"] == {"Enabled": True}
    assert "QueryLanguage" not in json.loads(json.dumps(definition(synthesized)))


def test_only_the_state_machine_may_pass_the_sagemaker_role_and_only_to_sagemaker(synthesized):
    role = synthesized.logical_id("AWS::IAM::Role", "SageMakerExecutionRole")
    passes = [(policy_id, s) for policy_id, policy in synthesized.resources("AWS::IAM::Policy").items()
              for s in policy["Properties"]["PolicyDocument"]["Statement"] if "iam:PassRole" in as_list(s["Action"])]
    # The training and the deployment state machines (tests/infra/test_deployment_access.py) and
    # MonitorEndpoint for its check jobs (tests/infra/test_monitoring_stack.py).
    assert sorted(policy_id.split("StateMachineRole")[0].split("RoleDefaultPolicy")[0] for policy_id, _ in passes) == [
        "DeploymentPipeline", "MonitorEndpoint", "TrainingPipeline"]
    for _, statement in passes:
        assert statement["Resource"] == {"Fn::GetAtt": [role, "Arn"]}
        assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}


def test_sagemaker_permissions_are_scoped_to_the_configured_models(synthesized):
    from tests.infra.helpers import render

    # ListModelPackages has no resource-level permissions: the one SageMaker action on "*".
    statements = policy_statements(synthesized, "TrainingPipelineStateMachineRole")
    on_all = {a.lower() for s in statements if s["Resource"] == "*" for a in as_list(s["Action"]) if a.startswith("sagemaker:")}
    assert on_all <= {"sagemaker:listmodelpackages"}
    resources = [render(r) for s in statements if any(a.startswith("sagemaker:") for a in as_list(s["Action"]))
                 for r in as_list(s["Resource"]) if r != "*"]
    assert resources and all(r.endswith(("penguins-*", "house-prices-*", "penguins/*", "house-prices/*",
                                         "-penguins", "-house-prices")) for r in resources)
