"""The deployment state machine, read back from the rendered DefinitionString: the portable
ASL subset, every path's failure handling, and the requests in SageMaker's and CloudWatch's shapes."""

from __future__ import annotations

import json

import pytest

from tests.infra.helpers import TOKEN, render

FAIL_STATES = {"NotApproved": "NotApproved", "DeploymentFailed": "DeploymentFailed",
               "DeploymentRolledBack": "DeploymentRolledBack", "ShadowRejected": "ShadowRejected",
               "InsufficientEndpointQuota": "InsufficientEndpointQuota"}
# Tasks that run once the new fleet's alarms may exist: their errors must delete them first.
AFTER_ALARMS = {"CreateLatencyAlarm", "CreateErrorAlarm", "StartRollout", "DescribeStartRollout", "ReadRollbackAlarms",
                "AlarmsInAlarm"}
TAGS = [{"Key": "mlops:model", "Value.$": "$.model"}, {"Key": "mlops:deployment-id", "Value.$": "$.deployment_id"},
        {"Key": "mlops:model-package-arn", "Value.$": "$.model_package_arn"}]


@pytest.fixture(scope="module")
def machine(synthesized) -> dict:
    return synthesized.resource("AWS::StepFunctions::StateMachine", "DeploymentPipelineStateMachine")


@pytest.fixture(scope="module")
def definition(machine) -> dict:
    return json.loads(render(machine["Properties"]["DefinitionString"]))


@pytest.fixture(scope="module")
def states(definition) -> dict:
    return definition["States"]


def _tasks(states: dict) -> dict:
    return {name: state for name, state in states.items() if state["Type"] == "Task"}


def test_the_run_starts_by_checking_the_package_is_still_approved(definition, states):
    assert definition["StartAt"] == "CheckModelPackage"
    assert states["CheckModelPackage"]["Parameters"] == {"ModelPackageName.$": "$.model_package_arn"}
    [approved] = states["StillApproved"]["Choices"]
    assert approved == {"Variable": "$.package.ModelApprovalStatus", "StringEquals": "Approved", "Next": "CreateModel"}
    assert states["StillApproved"]["Default"] == "NotApprovedCause"


@pytest.mark.parametrize(("name", "error"), FAIL_STATES.items())
def test_fail_states_name_their_error_and_read_the_cause_from_the_failure(states, name, error):
    assert states[name] == {"Type": "Fail", "Error": error, "CausePath": "$.failure.Cause"}


def test_only_the_portable_asl_subset_is_used(definition, states):
    assert "QueryLanguage" not in definition
    lambdas = {"CheckCapacity", "CompareShadow"}
    for name, task in _tasks(states).items():
        # Request-response only: aws-sdk integrations, and the two Lambdas invoked by their ARN.
        if name in lambdas:
            assert task["Resource"] == TOKEN, name
        else:
            assert ":states:::aws-sdk:" in task["Resource"] and ".sync" not in task["Resource"], name
    text = json.dumps(definition)
    assert not any("Assign" in state or "Arguments" in state or "Output" in state for state in states.values())
    # moto misreads `$.a[0].b` paths; `$.a[0]` alone is fine.
    assert "[0]." not in text


def test_every_task_catches_everything(states):
    for name, task in _tasks(states).items():
        [catch] = task["Catch"]
        assert catch["ErrorEquals"] == ["States.ALL"], name


def test_errors_after_the_alarms_exist_delete_them_first(states):
    for name in AFTER_ALARMS:
        assert states[name]["Catch"][0]["Next"] == "CleanUpAlarmsAfterFailure", name
    cleanup = states["CleanUpAlarmsAfterFailure"]
    assert cleanup["Resource"].endswith(":states:::aws-sdk:cloudwatch:deleteAlarms")
    assert cleanup["Parameters"] == {"AlarmNames.$": "$.names.new_fleet_alarms"}
    # A failed clean-up still records the failure, keeping the original cause at $.failure.
    assert cleanup["Next"] == "RecordFailure" and cleanup["Catch"][0]["ResultPath"] == "$.cleanup_failure"
    assert states["RecordFailure"]["Next"] == "DeploymentFailed"


def test_waits_read_their_seconds_from_the_execution_input(states):
    waits = {name: state for name, state in states.items() if state["Type"] == "Wait"}
    assert waits.pop("RunShadowTest")["SecondsPath"] == "$.shadow.duration_seconds"
    assert len(waits) >= 5 and all(wait["SecondsPath"] == "$.poll_seconds" for wait in waits.values())


def test_the_model_comes_from_the_registry_and_runs_as_the_execution_role(states, synthesized):
    model = states["CreateModel"]
    assert model["Resource"].endswith(":states:::aws-sdk:sagemaker:createModel")
    parameters = model["Parameters"]
    assert parameters["ModelName.$"] == "$.names.model"
    assert parameters["PrimaryContainer"] == {"ModelPackageName.$": "$.model_package_arn"}
    assert parameters["ExecutionRoleArn"] == TOKEN and parameters["Tags"] == TAGS


def test_the_endpoint_config_has_one_variant_data_capture_and_encrypted_volumes(states):
    parameters = states["CreateEndpointConfig"]["Parameters"]
    assert parameters["EndpointConfigName.$"] == "$.names.endpoint_config"
    assert parameters["ProductionVariants"] == [{
        "VariantName.$": "$.names.variant", "ModelName.$": "$.names.model",
        "InstanceType.$": "$.serving.instance_type", "InitialInstanceCount.$": "$.serving.instance_count",
        "InitialVariantWeight": 1}]
    assert parameters["DataCaptureConfig"] == {
        "EnableCapture.$": "$.serving.data_capture.enabled",
        "InitialSamplingPercentage.$": "$.serving.data_capture.sampling_percent",
        "DestinationS3Uri": f"s3://{TOKEN}/data-capture", "KmsKeyId": TOKEN,
        "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]}}
    assert parameters["KmsKeyId"] == TOKEN and parameters["Tags"] == TAGS


def test_a_missing_endpoint_is_created_and_an_existing_one_waited_for(states):
    [catch] = states["FindEndpoint"]["Catch"]
    assert (catch["Next"], catch["ResultPath"]) == ("EndpointMissing", "$.endpoint_lookup")
    [missing] = states["EndpointMissing"]["Choices"]
    assert {"Variable": "$.endpoint_lookup.Cause", "StringMatches": "*Could not find endpoint*"} in missing["And"]
    assert missing["Next"] == "CreateEndpoint" and states["EndpointMissing"]["Default"] == "EndpointLookupFailed"
    busy, in_service = states["EndpointStatus"]["Choices"]
    assert {c["StringEquals"] for c in busy["Or"]} == {"Creating", "Updating", "SystemUpdating", "RollingBack"}
    assert busy["Next"] == "WaitForOtherDeployment" and states["WaitForOtherDeployment"]["Next"] == "FindEndpoint"
    assert in_service["Next"] == "RememberActiveConfig"
    assert states["RememberActiveConfig"]["Next"] == "CheckCapacity"


def test_a_first_deployment_waits_for_in_service_and_reports_failure_reasons(states):
    create = states["CreateEndpoint"]["Parameters"]
    assert create == {"EndpointName.$": "$.names.endpoint", "EndpointConfigName.$": "$.names.endpoint_config",
                      "Tags": TAGS}
    choices = states["NewEndpointStatus"]["Choices"]
    assert choices[0] == {"Variable": "$.endpoint.EndpointStatus", "StringEquals": "InService",
                          "Next": "RecordDeployed"}
    assert states["CreationFailureReason"]["Parameters"] == {"Error": "DeploymentFailed",
                                                             "Cause.$": "$.endpoint.FailureReason"}


def test_too_little_quota_fails_with_the_lambdas_cause(states):
    check = states["CheckCapacity"]
    assert check["Parameters"] == {"endpoint_name.$": "$.names.endpoint", "instance_type.$": "$.serving.instance_type",
                                   "instance_count.$": "$.serving.instance_count", "shadow.$": "$.shadow.enabled"}
    [short] = states["CapacitySufficient"]["Choices"]
    assert short == {"Variable": "$.capacity.sufficient", "BooleanEquals": False, "Next": "QuotaShortfall"}
    assert states["QuotaShortfall"]["Parameters"] == {"Error": "InsufficientEndpointQuota",
                                                      "Cause.$": "$.capacity.cause"}
    assert states["RecordQuotaShortfall"]["Next"] == "InsufficientEndpointQuota"


@pytest.mark.parametrize(("name", "metric", "statistic", "threshold"), [
    ("CreateLatencyAlarm", "ModelLatency", {"ExtendedStatistic": "p99"}, "$.alarms.latency_p99_us"),
    ("CreateErrorAlarm", "Invocation5XXErrors", {"Statistic": "Sum"}, "$.alarms.error_threshold"),
])
def test_the_new_fleet_alarms_watch_its_endpoint_config(states, name, metric, statistic, threshold):
    task = states[name]
    assert task["Resource"].endswith(":states:::aws-sdk:cloudwatch:putMetricAlarm")
    parameters = task["Parameters"]
    assert (parameters["Namespace"], parameters["MetricName"]) == ("AWS/SageMaker", metric)
    assert all(parameters[key] == value for key, value in statistic.items())
    assert parameters["Dimensions"] == [
        {"Name": "EndpointName", "Value.$": "$.names.endpoint"}, {"Name": "VariantName", "Value.$": "$.names.variant"},
        {"Name": "EndpointConfigName", "Value.$": "$.names.endpoint_config"}]
    assert parameters["Threshold.$"] == threshold and parameters["ComparisonOperator"] == "GreaterThanThreshold"
    assert parameters["Period.$"] == "$.alarms.period_seconds"
    assert parameters["EvaluationPeriods.$"] == "$.alarms.evaluation_periods"
    assert parameters["TreatMissingData"] == "notBreaching"


def test_the_rollout_is_a_blue_green_update_with_the_inputs_deployment_config(states):
    rollout = states["StartRollout"]
    assert rollout["Resource"].endswith(":states:::aws-sdk:sagemaker:updateEndpoint")
    assert rollout["Parameters"] == {"EndpointName.$": "$.names.endpoint",
                                     "EndpointConfigName.$": "$.names.endpoint_config",
                                     "DeploymentConfig.$": "$.deployment_config"}
    [busy] = states["StartRolloutSettled"]["Choices"]
    assert busy["Next"] == "WaitForStartRollout" and states["StartRolloutSettled"]["Default"] == "ReadRollbackAlarms"


def test_the_verdict_checks_the_active_config_not_just_the_status(states):
    read = states["ReadRollbackAlarms"]
    assert read["Parameters"] == {"AlarmNames.$": "$.names.rollback_alarms"}
    assert read["ResultSelector"] == {"alarms.$": "$.MetricAlarms"} and read["Next"] == "AlarmsInAlarm"
    pick = states["AlarmsInAlarm"]  # run in moto by test_deployment_execution.py
    assert (pick["Type"], pick["ItemsPath"], pick["ResultPath"]) == ("Map", "$.alarm_states.alarms", "$.alarm_states")
    assert pick["Next"] == "DeleteNewFleetAlarms" and states["DeleteNewFleetAlarms"]["Next"] == "RolloutVerdict"
    deployed, rolled_back = states["RolloutVerdict"]["Choices"]
    assert {"Variable": "$.endpoint.EndpointConfigName", "StringEqualsPath": "$.names.endpoint_config"} in \
        deployed["And"]
    assert deployed["Next"] == "RecordDeployed" and rolled_back["Next"] == "RollbackAlarmsFired"
    assert "rollback alarm(s) in ALARM: {}" in states["RollbackAlarmsCause"]["Parameters"]["Cause.$"]
    assert "States.JsonToString($.alarm_states.in_alarm)" in states["RollbackAlarmsCause"]["Parameters"]["Cause.$"]
    assert states["RecordRolledBack"]["Next"] == "DeploymentRolledBack"


@pytest.mark.parametrize(("name", "status"), [("RecordDeployed", "Deployed"), ("RecordRolledBack", "RolledBack"),
                                              ("RecordShadowRejected", "ShadowRejected"), ("RecordFailure", "Failed")])
def test_every_outcome_is_recorded_on_the_model_package(states, name, status):
    task = states[name]
    assert task["Resource"].endswith(":states:::aws-sdk:sagemaker:updateModelPackage")
    assert task["Parameters"] == {"ModelPackageArn.$": "$.model_package_arn", "CustomerMetadataProperties": {
        "DeploymentStatus": status, "DeploymentExecutionArn.$": "$$.Execution.Id",
        "EndpointName.$": "$.names.endpoint", "EndpointConfigName.$": "$.names.endpoint_config",
        f"{status}At.$": "$$.State.EnteredTime"}}


def test_the_shadow_test_mirrors_traffic_to_the_candidate_and_can_stop_the_rollout(states):
    [enabled] = states["ShadowEnabled"]["Choices"]
    assert enabled == {"Variable": "$.shadow.enabled", "BooleanEquals": True, "Next": "DescribeProductionConfig"}
    assert states["ShadowEnabled"]["Default"] == "CreateLatencyAlarm"
    assert states["DescribeProductionConfig"]["ResultSelector"] == {"variant.$": "$.ProductionVariants[0]"}
    config = states["CreateShadowConfig"]["Parameters"]
    assert config["EndpointConfigName.$"] == "$.names.shadow_endpoint_config"
    assert config["ProductionVariants"][0]["ModelName.$"] == "$.production.variant.ModelName"
    assert config["ShadowProductionVariants"] == [{
        "VariantName.$": "$.names.shadow_variant", "ModelName.$": "$.names.model",
        "InstanceType.$": "$.serving.instance_type", "InitialInstanceCount.$": "$.serving.instance_count",
        "InitialVariantWeight.$": "$.shadow.variant_weight"}]
    assert states["ShadowWindowStart"]["Parameters"] == {"start.$": "$$.State.EnteredTime"}
    compare = states["CompareShadow"]["Parameters"]
    assert compare["start.$"] == "$.shadow_window.start" and compare["end.$"] == "$$.State.EnteredTime"
    [passed] = states["ShadowVerdict"]["Choices"]
    assert passed["Next"] == "CreateLatencyAlarm" and states["ShadowVerdict"]["Default"] == "ShadowRejectionCause"
    # A rejection (or a failed comparison) goes back to the config that served before.
    assert states["ShadowRejectionCause"]["Next"] == "RevertShadowTest"
    assert states["CompareShadow"]["Catch"][0]["Next"] == "RevertShadowTest"
    assert states["RevertShadowTest"]["Parameters"]["EndpointConfigName.$"] == "$.previous.endpoint_config"
    [rejected] = states["ShadowOutcome"]["Choices"]
    assert rejected["Next"] == "RecordShadowRejected" and states["ShadowOutcome"]["Default"] == "RecordFailure"


def test_a_rollback_onto_the_shadow_config_restores_the_config_before_it(states):
    [onto_shadow] = states["RolledBackOntoShadowConfig"]["Choices"]
    assert onto_shadow == {"Variable": "$.endpoint.EndpointConfigName",
                           "StringEqualsPath": "$.names.shadow_endpoint_config", "Next": "RestoreAfterRollback"}
    assert states["RestoreAfterRollback"]["Parameters"]["EndpointConfigName.$"] == "$.previous.endpoint_config"
    assert states["RestoreAfterRollbackSettled"]["Default"] == "RecordRolledBack"


def test_logs_and_tracing_like_the_training_pipeline(machine, synthesized):
    properties = machine["Properties"]
    assert properties["TracingConfiguration"] == {"Enabled": True}
    assert properties["LoggingConfiguration"]["Level"] == "ALL"
    assert properties["LoggingConfiguration"]["IncludeExecutionData"] is False
    group = synthesized.resource("AWS::Logs::LogGroup", "DeploymentPipelineLogs")["Properties"]
    assert group["LogGroupName"] == "/aws/vendedlogs/states/MlopsStack-deployment-pipeline"
