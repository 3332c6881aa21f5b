"""The gate: read the evaluation job's decision (gate.json, mlops_core.gate_decision) and
register the candidate accordingly.

ReadGateDecision (s3:getObject) -> GatePassed?
  yes -> RegisterModel (the model's approval: Approved or PendingManualApproval) -> next
  no  -> RegisterRejectedModel (Rejected) -> ModelRejected (Fail; the cause gives the
         candidate's and the champion's scores in plain words, and the package's ARN)
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from infra.training_pipeline.common import JobSettings, catch_all, fail_state, failure
from infra.training_pipeline.register import REGISTRATION_PATH, register_task

DECISION = "$.gate.decision"


def gate_stage(scope: Construct, *, jobs: JobSettings, report_resources: list[str], package_resources: list[str],
               next_state: sfn.IChainable) -> sfn.IChainable:
    """`report_resources`: the gate.json object ARNs; `package_resources`: model package ARNs."""
    read = tasks.CallAwsService(
        scope, "ReadGateDecision",
        service="s3", action="getObject", iam_resources=report_resources,
        iam_action="s3:GetObject",  # IAM's own spelling: policy checkers match it case-sensitively
        parameters={"Bucket": sfn.JsonPath.string_at("$.objects.gate_report.Bucket"),
                    "Key": sfn.JsonPath.string_at("$.objects.gate_report.Key")},
        # Step Functions returns a text object's Body as a string.
        result_selector={"decision": sfn.JsonPath.string_to_json(sfn.JsonPath.string_at("$.Body"))},
        result_path="$.gate",
    )
    catch_all(read, fail_state(scope, "EvaluationFailed"))
    approved = register_task(scope, "RegisterModel", jobs=jobs, iam_resources=package_resources,
                             approval_status="$.settings.approval_status")
    rejected = register_task(scope, "RegisterRejectedModel", jobs=jobs, iam_resources=package_resources,
                             approval_status="Rejected")
    cause = failure(scope, "RejectionCause", error="ModelRejected", cause=(
        f"States.Format('{{}} It is registered as Rejected for the record: {{}}', "
        f"{DECISION}.cause, {REGISTRATION_PATH}.ModelPackageArn)"))
    rejected.next(cause).next(fail_state(scope, "ModelRejected"))
    verdict = (sfn.Choice(scope, "GatePassed")
               .when(sfn.Condition.boolean_equals(f"{DECISION}.passed", True), approved.next(next_state))
               .otherwise(rejected))
    return read.next(verdict)
