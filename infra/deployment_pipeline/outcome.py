"""How a deployment ends: the outcome is recorded on the model package
(UpdateModelPackage `CustomerMetadataProperties`, merged into what registration wrote), then
the run succeeds or fails with the outcome's error name.

DeploymentStatus  Deployed | RolledBack | ShadowRejected | Failed
plus DeploymentExecutionArn, EndpointName, EndpointConfigName (the config this deployment
made) and `<status>At` (when it was recorded).
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import Arns, catch_all, fail_state, sagemaker

DEPLOYED, ROLLED_BACK, SHADOW_REJECTED, FAILED = "Deployed", "RolledBack", "ShadowRejected", "Failed"
# Fail states: state name = error name (contracts.md "Deployment execution").
DEPLOYMENT_FAILED = "DeploymentFailed"
DEPLOYMENT_ROLLED_BACK = "DeploymentRolledBack"
INSUFFICIENT_QUOTA = "InsufficientEndpointQuota"
NOT_APPROVED = "NotApproved"


def record_outcome(scope: Construct, name: str, *, status: str, arns: Arns, next_state: sfn.IChainable,
                   on_error: sfn.IChainable | None = None) -> sfn.IChainable:
    """`on_error` None: a failure to record is noted at `$.record_failure` and the run goes on to
    `next_state` (which already reports a failure with its own cause)."""
    task = sagemaker(scope, name, "updateModelPackage", arns.packages, {
        "ModelPackageArn": sfn.JsonPath.string_at("$.model_package_arn"),
        "CustomerMetadataProperties": {
            "DeploymentStatus": status,
            "DeploymentExecutionArn": sfn.JsonPath.execution_id,
            "EndpointName": sfn.JsonPath.string_at("$.names.endpoint"),
            "EndpointConfigName": sfn.JsonPath.string_at("$.names.endpoint_config"),
            f"{status}At": sfn.JsonPath.state_entered_time,
        },
    })
    if on_error is None:
        task.add_catch(next_state, errors=[sfn.Errors.ALL], result_path="$.record_failure")
    else:
        catch_all(task, on_error)
    return task.next(next_state)


class Endings:
    """The Fail states and the shared failure path, made once and reused by every stage."""

    def __init__(self, scope: Construct, *, arns: Arns) -> None:
        self.failed = fail_state(scope, DEPLOYMENT_FAILED)
        # Entered with `$.failure` set: mark the package, end DeploymentFailed.
        self.record_failure = record_outcome(scope, "RecordFailure", status=FAILED, arns=arns,
                                             next_state=self.failed)
        cleanup = sagemaker(scope, "CleanUpAlarmsAfterFailure", "deleteAlarms", arns.new_fleet_alarms,
                            {"AlarmNames": sfn.JsonPath.list_at("$.names.new_fleet_alarms")}, service="cloudwatch")
        cleanup.add_catch(self.record_failure, errors=[sfn.Errors.ALL], result_path="$.cleanup_failure")
        # Entered with `$.failure` set once the new fleet's alarms may exist.
        self.clean_up_and_fail = cleanup.next(self.record_failure)

