"""After the rollout settles: which config is active, and why?

ReadRollbackAlarms (DescribeAlarms of the three rollback alarms) -> AlarmsInAlarm (a Map keeping
the names in ALARM: a JSONPath filter would do it on AWS, but moto fails a filter that matches
nothing) -> DeleteNewFleetAlarms (this deployment's two; a failure to delete is noted, not fatal) ->
RolloutVerdict on DescribeEndpoint's answer:
  InService on the new config -> Deployed.
  InService on another config: SageMaker rolled back (after an auto-rollback it shows InService
  on the old config, often with an empty FailureReason; the status alone proves nothing) ->
  the cause names the alarm(s) in ALARM -> if the endpoint is back on the shadow config, it is
  first restored to the config active before the deployment -> RolledBack, `DeploymentRolledBack`.
  Anything else (Failed, UpdateRollbackFailed, ...) -> DeploymentFailed with the FailureReason.
"""

from __future__ import annotations

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import (
    ACTIVE_CONFIG,
    STATUS,
    Arns,
    catch_all,
    fail_state,
    failure,
    sagemaker,
    update_and_wait,
)
from infra.deployment_pipeline.outcome import (
    DEPLOYMENT_FAILED,
    DEPLOYMENT_ROLLED_BACK,
    ROLLED_BACK,
    Endings,
    record_outcome,
)

ALARMS = "$.alarm_states"
IN_SERVICE = sfn.Condition.string_equals(STATUS, "InService")


def verify_stage(scope: Construct, *, arns: Arns, endings: Endings, deployed: sfn.IChainable) -> sfn.IChainable:
    read = sagemaker(scope, "ReadRollbackAlarms", "describeAlarms", arns.rollback_alarms,
                     {"AlarmNames": sfn.JsonPath.list_at("$.names.rollback_alarms")}, service="cloudwatch",
                     result_selector={"alarms": sfn.JsonPath.list_at("$.MetricAlarms")}, result_path=ALARMS)
    in_alarm = _alarms_in_alarm(scope)
    for state in (read, in_alarm):
        catch_all(state, endings.clean_up_and_fail)
    delete = sagemaker(scope, "DeleteNewFleetAlarms", "deleteAlarms", arns.new_fleet_alarms,
                       {"AlarmNames": sfn.JsonPath.list_at("$.names.new_fleet_alarms")}, service="cloudwatch")
    verdict = (sfn.Choice(scope, "RolloutVerdict")
               .when(sfn.Condition.and_(IN_SERVICE, sfn.Condition.string_equals_json_path(
                   ACTIVE_CONFIG, "$.names.endpoint_config")), deployed)
               .when(IN_SERVICE, _rolled_back(scope, arns=arns, endings=endings))
               .otherwise(_rollout_failed(scope, endings)))
    delete.add_catch(verdict, errors=[sfn.Errors.ALL], result_path="$.cleanup_failure")
    return read.next(in_alarm).next(delete).next(verdict)


def _alarms_in_alarm(scope: Construct) -> sfn.Map:
    """`$.alarm_states.in_alarm`: the names of the rollback alarms whose state is ALARM ([] if none)."""
    keep = sfn.Pass(scope, "KeepAlarmName", parameters={"name.$": "$.name"})
    skip = sfn.Pass(scope, "SkipAlarm", result=sfn.Result.from_object({}))
    marks = sfn.Map(scope, "AlarmsInAlarm", items_path=f"{ALARMS}.alarms",
                    item_selector={"name.$": "$$.Map.Item.Value.AlarmName", "state.$": "$$.Map.Item.Value.StateValue"},
                    # Items without a name (not in ALARM) drop out of the wildcard.
                    result_selector={"in_alarm.$": "$[*].name"}, result_path=ALARMS)
    marks.item_processor(sfn.Choice(scope, "AlarmInAlarm")
                         .when(sfn.Condition.string_equals("$.state", "ALARM"), keep)
                         .otherwise(skip))
    return marks


def _rolled_back(scope: Construct, *, arns: Arns, endings: Endings) -> sfn.IChainable:
    record = record_outcome(scope, "RecordRolledBack", status=ROLLED_BACK, arns=arns,
                            next_state=fail_state(scope, DEPLOYMENT_ROLLED_BACK))
    restore = update_and_wait(scope, "RestoreAfterRollback", arns=arns, config_path="$.previous.endpoint_config",
                              next_state=record, on_error=endings.record_failure)
    where = (sfn.Choice(scope, "RolledBackOntoShadowConfig")
             .when(sfn.Condition.string_equals_json_path(ACTIVE_CONFIG, "$.names.shadow_endpoint_config"), restore)
             .otherwise(record))
    fired = failure(scope, "RollbackAlarmsCause", error=DEPLOYMENT_ROLLED_BACK, cause=(
        "States.Format('Endpoint {} rolled back to endpoint config {}: rollback alarm(s) in ALARM: {}. Model "
        f"package {{}} is not serving.', $.names.endpoint, {ACTIVE_CONFIG}, States.JsonToString({ALARMS}.in_alarm), "
        "$.model_package_arn)"))
    quiet = failure(scope, "RollbackCause", error=DEPLOYMENT_ROLLED_BACK, cause=(
        "States.Format('Endpoint {} rolled back to endpoint config {}; no rollback alarm is in ALARM any more "
        "(see the alarm history of {}). Model package {} is not serving.', $.names.endpoint, "
        f"{ACTIVE_CONFIG}, States.JsonToString($.names.rollback_alarms), $.model_package_arn)"))
    for cause in (fired, quiet):
        cause.next(where)
    return (sfn.Choice(scope, "RollbackAlarmsFired")
            .when(sfn.Condition.is_present(f"{ALARMS}.in_alarm[0]"), fired)
            .otherwise(quiet))


def _rollout_failed(scope: Construct, endings: Endings) -> sfn.IChainable:
    reason = "$.endpoint.FailureReason"
    with_reason = failure(scope, "RolloutFailureReason", error=DEPLOYMENT_FAILED, cause=(
        f"States.Format('Endpoint {{}} is {{}} after the update: {{}}', $.names.endpoint, {STATUS}, {reason})"))
    without_reason = failure(scope, "RolloutFailureStatus", error=DEPLOYMENT_FAILED, cause=(
        f"States.Format('Endpoint {{}} is {{}} after the update', $.names.endpoint, {STATUS})"))
    for state in (with_reason, without_reason):
        state.next(endings.record_failure)
    return (sfn.Choice(scope, "RolloutFailed")
            .when(sfn.Condition.is_present(reason), with_reason)
            .otherwise(without_reason))
