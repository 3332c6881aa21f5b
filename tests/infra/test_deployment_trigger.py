"""The approval trigger, the endpoint-wide rollback alarms and the stack outputs of serving."""

from __future__ import annotations

import pytest

ENDPOINTS = {"penguins": ("MlopsStack-penguins", "Penguins"), "house-prices": ("MlopsStack-house-prices", "HousePrices")}


def test_the_rule_matches_approvals_of_the_serving_models_groups(synthesized):
    rule = synthesized.resource("AWS::Events::Rule", "ApprovalTriggerRule")
    assert rule["Properties"]["EventPattern"] == {
        "source": ["aws.sagemaker"],
        "detail-type": ["SageMaker Model Package State Change"],
        "detail": {"ModelApprovalStatus": ["Approved"],
                   "ModelPackageGroupName": ["MlopsStack-house-prices", "MlopsStack-penguins"]},
    }


def test_the_target_is_start_deployment_with_retries_and_the_dead_letter_queue(synthesized):
    function = synthesized.logical_id("AWS::Lambda::Function", "StartDeployment")
    queue = synthesized.logical_id("AWS::SQS::Queue", "UploadTriggerDeadLetters")
    [target] = synthesized.resource("AWS::Events::Rule", "ApprovalTriggerRule")["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [function, "Arn"]}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue, "Arn"]}}
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 4}
    permission = synthesized.resource("AWS::Lambda::Permission", "ApprovalTriggerRule")["Properties"]
    assert permission["Principal"] == "events.amazonaws.com"
    # Events the function fails on (after Lambda's async retries) land in the same queue.
    start = synthesized.resource("AWS::Lambda::Function", "StartDeploymentFunction")["Properties"]
    assert start["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": [queue, "Arn"]}}


def test_start_deployment_knows_the_state_machine_settings_and_poll_interval(synthesized):
    machine = synthesized.logical_id("AWS::StepFunctions::StateMachine", "DeploymentPipelineStateMachine")
    variables = synthesized.resource("AWS::Lambda::Function", "StartDeploymentFunction")["Properties"][
        "Environment"]["Variables"]
    assert variables["STATE_MACHINE_ARN"] == {"Ref": machine}
    assert variables["SETTINGS_PARAMETER_PREFIX"] == "/MlopsStack/models/" and variables["POLL_SECONDS"] == "7"


@pytest.mark.parametrize("model", ENDPOINTS)
def test_each_serving_model_has_its_endpoint_wide_5xx_alarm(synthesized, model):
    endpoint, pascal = ENDPOINTS[model]
    alarm = synthesized.resource("AWS::CloudWatch::Alarm", f"EndpointAlarms{pascal}")["Properties"]
    assert alarm["AlarmName"] == f"{endpoint}-5xx"
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "AWS/SageMaker", "Invocation5XXErrors", "Sum")
    assert sorted(alarm["Dimensions"], key=lambda d: d["Name"]) == [
        {"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}]
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["Threshold"]) == (60, 1, 0)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold" and alarm["TreatMissingData"] == "notBreaching"


def test_the_outputs_name_the_deployment_pipeline_and_each_endpoint(synthesized):
    outputs = synthesized.template["Outputs"]
    machine = synthesized.logical_id("AWS::StepFunctions::StateMachine", "DeploymentPipelineStateMachine")
    assert outputs["DeploymentPipelineArn"]["Value"] == {"Ref": machine}
    for endpoint, pascal in ENDPOINTS.values():
        assert outputs[f"EndpointName{pascal}"]["Value"] == endpoint
