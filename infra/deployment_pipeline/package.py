"""CheckModelPackage: is the package still Approved? Approval may be revoked between the event
and the run (or the event redelivered much later); a package that is not Approved any more is
not deployed and the run ends `NotApproved`."""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import Arns, catch_all, fail_state, failure, sagemaker
from infra.deployment_pipeline.outcome import NOT_APPROVED, Endings

STATUS = "$.package.ModelApprovalStatus"


def check_package_stage(scope: Construct, *, arns: Arns, endings: Endings, next_state: sfn.IChainable) -> sfn.IChainable:
    describe = sagemaker(scope, "CheckModelPackage", "describeModelPackage", arns.packages,
                         {"ModelPackageName": sfn.JsonPath.string_at("$.model_package_arn")},
                         result_selector={"ModelApprovalStatus": sfn.JsonPath.string_at("$.ModelApprovalStatus")},
                         result_path="$.package")
    catch_all(describe, endings.record_failure)
    revoked = failure(scope, "NotApprovedCause", error=NOT_APPROVED, cause=(
        f"States.Format('Model package {{}} is {{}} now, not Approved: nothing was deployed.', "
        f"$.model_package_arn, {STATUS})")).next(fail_state(scope, NOT_APPROVED))
    still = (sfn.Choice(scope, "StillApproved")
             .when(sfn.Condition.string_equals(STATUS, "Approved"), next_state)
             .otherwise(revoked))
    return describe.next(still)
