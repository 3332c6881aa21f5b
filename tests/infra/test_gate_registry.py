"""Gate, registry, lineage and retraining in the synthesized template (two-model config)."""

from __future__ import annotations

import pytest

from tests.infra.helpers import TOKEN, as_list, definition, policy_statements, render


@pytest.fixture(scope="module")
def states(synthesized) -> dict:
    return definition(synthesized)["States"]


def _next(states, name):
    return states[name]["Next"]


def test_after_training_the_champion_is_looked_up_then_evaluation_then_the_gate(states):
    assert states["TrainingStatus"]["Choices"][0]["Next"] == "FindChampion"
    find = states["FindChampion"]
    assert find["Resource"].endswith(":states:::aws-sdk:sagemaker:listModelPackages")
    assert find["Parameters"] == {"ModelPackageGroupName.$": "$.settings.model_package_group",
                                  "ModelApprovalStatus": "Approved", "SortBy": "CreationTime",
                                  "SortOrder": "Descending", "MaxResults": 1}
    found = states["ChampionFound"]
    assert found["Choices"][0]["Next"] == "PickChampion" and found["Default"] == "CreateEvaluationJob"
    assert _next(states, "PickChampion") == "DescribeChampion"
    assert _next(states, "DescribeChampion") == "CreateEvaluationJobWithChampion"
    assert _next(states, "CreateEvaluationJob") == _next(states, "CreateEvaluationJobWithChampion") == "WaitForEvaluation"
    assert states["EvaluationStatus"]["Choices"][0]["Next"] == "ReadGateDecision"


def test_the_champion_variant_adds_its_model_and_names_it(states):
    plain = states["CreateEvaluationJob"]["Parameters"]
    champion = states["CreateEvaluationJobWithChampion"]["Parameters"]
    extra = [i for i in champion["ProcessingInputs"] if i["InputName"] == "champion"]
    assert [i["InputName"] for i in plain["ProcessingInputs"]] == ["code", "model", "test"]
    assert extra == [{"InputName": "champion", "S3Input": {
        "S3Uri.$": "$.champion.container.ModelDataUrl", "LocalPath": "/opt/ml/processing/champion",
        "S3DataType": "S3Prefix", "S3InputMode": "File"}}]
    arguments = champion["AppSpecification"]["ContainerArguments.$"]
    assert "'--champion-dir', '/opt/ml/processing/champion', '--champion', States.JsonToString($.champion.package)" \
        in arguments
    assert states["DescribeChampion"]["ResultSelector"]["container.$"] == (
        "States.ArrayGetItem($.InferenceSpecification.Containers, 0)")


def test_the_gate_reads_the_jobs_decision_and_registers_either_way(states):
    read = states["ReadGateDecision"]
    assert read["Resource"].endswith(":states:::aws-sdk:s3:getObject")
    assert read["ResultSelector"] == {"decision.$": "States.StringToJson($.Body)"}
    verdict = states["GatePassed"]
    assert verdict["Choices"][0] == {"Variable": "$.gate.decision.passed", "BooleanEquals": True,
                                     "Next": "RegisterModel"}
    assert verdict["Default"] == "RegisterRejectedModel"
    assert _next(states, "RegisterModel") == "Succeeded"
    assert _next(states, "RegisterRejectedModel") == "RejectionCause"
    assert states["RejectionCause"]["Parameters"]["Cause.$"].startswith("States.Format(")
    assert states["ModelRejected"] == {"Type": "Fail", "Error": "ModelRejected", "CausePath": "$.failure.Cause"}


def test_approval_is_the_models_own_unless_the_gate_rejected(states):
    assert states["RegisterModel"]["Parameters"]["ModelApprovalStatus.$"] == "$.settings.approval_status"
    assert states["RegisterRejectedModel"]["Parameters"]["ModelApprovalStatus"] == "Rejected"
    same = {k: v for k, v in states["RegisterModel"]["Parameters"].items() if not k.startswith("ModelApproval")}
    assert same == {k: v for k, v in states["RegisterRejectedModel"]["Parameters"].items()
                    if not k.startswith("ModelApproval")}


def test_a_package_carries_metrics_drift_baselines_and_lineage(states):
    request = states["RegisterModel"]["Parameters"]
    quality = {"Statistics": {"ContentType": "application/json", "S3Uri.$": "$.paths.data_statistics"},
               "Constraints": {"ContentType": "application/json", "S3Uri.$": "$.paths.data_constraints"}}
    assert request["DriftCheckBaselines"] == {"ModelDataQuality": quality}
    assert request["ModelMetrics"]["ModelDataQuality"] == quality
    assert request["MetadataProperties"]["GeneratedBy.$"] == "$$.Execution.Id"
    assert request["MetadataProperties"]["CommitId"] == request["CustomerMetadataProperties"]["CodeVersion"]
    assert len(request["MetadataProperties"]["CommitId"]) == 64  # the job archive's asset hash
    metadata = request["CustomerMetadataProperties"]
    assert metadata["GateDecision.$"] == "$.gate.decision.metadata.GateDecision"
    assert {"ChampionScore.$", "CandidateScore.$", "GateMetric.$", "TrainingJobName.$", "TrialName.$"} <= set(metadata)


def test_accepted_data_is_recorded_after_preparation_then_the_run_joins_its_experiment(states):
    assert _next(states, "PrepareData") == "AcceptedDataRecord"
    assert _next(states, "AcceptedDataRecord") == "RecordAcceptedData"
    record = states["RecordAcceptedData"]
    assert record["Resource"].endswith(":states:::aws-sdk:s3:putObject")
    assert record["Parameters"]["Body.$"] == "States.JsonToString($.accepted_data)"
    assert record["Catch"][0]["Next"] == "PreparationFailed"
    assert _next(states, "RecordAcceptedData") == "CreateExperiment"
    assert _next(states, "CreateExperiment") == "CreateRunTrial"
    assert states["CreateExperiment"]["Catch"][0]["Next"] == "DescribeExperiment"
    assert _next(states, "DescribeExperiment") == "CreateRunTrial"
    assert states["CreateRunTrial"]["Parameters"]["TrialName.$"] == "$.lineage.trial"


def test_training_and_evaluation_jobs_join_the_runs_trial(states):
    for state, display in (("CreateTrainingJob", "training"), ("CreateEvaluationJob", "evaluation"),
                           ("CreateEvaluationJobWithChampion", "evaluation")):
        assert states[state]["Parameters"]["ExperimentConfig"] == {
            "ExperimentName.$": "$.lineage.experiment", "TrialName.$": "$.lineage.trial",
            "TrialComponentDisplayName": display}, state


def test_the_state_machine_may_read_gate_reports_and_write_accepted_data_records_only(synthesized):
    statements = policy_statements(synthesized, "TrainingPipelineStateMachineRole")
    s3 = {a.lower(): [render(r) for r in as_list(s["Resource"])] for s in statements
          for a in as_list(s["Action"]) if a.lower().startswith("s3:")}
    assert set(s3) == {"s3:getobject", "s3:putobject"}
    # ... and the results of the Processing jobs that prepare large objects.
    assert all(r.endswith(("/evaluation/gate.json", "/preparation/result.json")) for r in s3["s3:getobject"])
    assert sorted(s3["s3:putobject"]) == [f"{TOKEN}/models/house-prices/data/latest.json",
                                          f"{TOKEN}/models/penguins/data/latest.json"]


def test_retraining_requests_reach_start_pipeline_with_retries_and_the_dead_letter_queue(synthesized):
    rule = synthesized.resource("AWS::Events::Rule", "RetrainingTriggerRule")["Properties"]
    assert rule["EventPattern"] == {"source": ["mlops.retraining"], "detail-type": ["Retraining Requested"],
                                    "account": [{"Ref": "AWS::AccountId"}]}
    [target] = rule["Targets"]
    function = synthesized.logical_id("AWS::Lambda::Function", "StartPipeline")
    queue = synthesized.logical_id("AWS::SQS::Queue", "UploadTriggerDeadLetters")
    assert target["Arn"] == {"Fn::GetAtt": [function, "Arn"]}
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue, "Arn"]}}
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 4}
