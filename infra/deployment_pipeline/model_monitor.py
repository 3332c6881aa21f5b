"""After RecordDeployed, for models with `monitoring.engine: "model-monitor"` (the execution
input's `monitoring` block says so; one state machine serves every model): point the endpoint's
SageMaker Model Monitor data-quality schedule at the baseline of the version now serving.

ReadDriftBaselines (DescribeModelPackage: DriftCheckBaselines.ModelDataQuality; none -> fail)
-> CreateDataQualityJobDefinition (one per package version: job definitions are immutable; it
   exists already when a run is repeated -> DescribeDataQualityJobDefinition proves it, go on)
-> FindMonitoringSchedule: none -> CreateMonitoringSchedule; Pending -> wait, look again;
   otherwise remember its job definition -> UpdateMonitoringSchedule
-> wait until Scheduled -> DeletePreviousJobDefinition (best effort: a failure is noted at
   `$.monitoring_cleanup_failure`, the schedule already uses the new one) -> Succeeded.

Any failure ends `MonitoringNotScheduled`, never through RecordFailure: the endpoint serves the
new version (recorded Deployed); only its drift monitoring is missing, and the cause says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.deployment_pipeline.common import (
    Arns,
    ServingResources,
    catch_all,
    fail_state,
    failure,
    poll_wait,
    resource_tags,
    sagemaker,
)
from mlops_core.model_monitor_schedule import MODEL_MONITOR
from mlops_core.processing_request import network_config

MONITORING_NOT_SCHEDULED = "MonitoringNotScheduled"
BASELINES = "$.drift_baselines"
SCHEDULE = "$.monitoring_schedule"
SCHEDULE_STATUS = f"{SCHEDULE}.MonitoringScheduleStatus"
PREVIOUS = "$.previous_monitoring.job_definition"
# Where Model Monitor's analyzer finds the captures and leaves its reports, in its container.
ENDPOINT_INPUT_PATH = "/opt/ml/processing/input/endpoint"
OUTPUT_PATH = "/opt/ml/processing/output"
QUALITY = "DriftCheckBaselines.ModelDataQuality"


@dataclass(frozen=True, kw_only=True)
class ModelMonitorResources:
    """Deploy-time values of the Model Monitor requests (tokens are fine)."""

    image_uri: str  # sagemaker-model-monitor-analyzer of the stack's region
    output_uri: str  # s3://<artifacts bucket>/monitoring: the analyzer adds <endpoint>/<schedule>/yyyy/mm/dd/hh
    vpc_config: dict | None = None  # SageMaker VpcConfig when the stack has a VPC


def model_monitor_stage(scope: Construct, *, arns: Arns, resources: ServingResources, monitor: ModelMonitorResources,
                        next_state: sfn.IChainable) -> sfn.IChainable:
    not_scheduled = _not_scheduled(scope)
    read = sagemaker(scope, "ReadDriftBaselines", "describeModelPackage", arns.packages,
                     {"ModelPackageName": sfn.JsonPath.string_at("$.model_package_arn")}, result_path=BASELINES)
    keep = sfn.Pass(scope, "KeepDriftBaselines", result_path=BASELINES, parameters={
        "statistics.$": f"{BASELINES}.{QUALITY}.Statistics.S3Uri",
        "constraints.$": f"{BASELINES}.{QUALITY}.Constraints.S3Uri"})
    missing = failure(scope, "NoDriftBaselines", error=MONITORING_NOT_SCHEDULED, cause=(
        f"States.Format('model package {{}} has no {QUALITY} Statistics and Constraints, which Model Monitor "
        "compares the captured requests with; register versions with their data-quality baseline (the training "
        "pipeline does)', $.model_package_arn)")).next(not_scheduled)
    baselines = (sfn.Choice(scope, "HasDriftBaselines")
                 .when(sfn.Condition.and_(sfn.Condition.is_present(f"{BASELINES}.{QUALITY}.Statistics.S3Uri"),
                                          sfn.Condition.is_present(f"{BASELINES}.{QUALITY}.Constraints.S3Uri")), keep)
                 .otherwise(missing))
    catch_all(read, not_scheduled)
    schedule = _schedule(scope, arns=arns, not_scheduled=not_scheduled, next_state=next_state)
    keep.next(_job_definition(scope, arns=arns, resources=resources, monitor=monitor, not_scheduled=not_scheduled,
                              next_state=schedule))
    engine = (sfn.Choice(scope, "DriftMonitoringEngine")
              .when(sfn.Condition.and_(sfn.Condition.boolean_equals("$.monitoring.enabled", True),
                                       sfn.Condition.string_equals("$.monitoring.engine", MODEL_MONITOR)), read)
              .otherwise(next_state))
    read.next(baselines)
    return engine


def _not_scheduled(scope: Construct) -> sfn.IChainable:
    """Entered with `$.failure` set: say what serves and why monitoring is missing."""
    return failure(scope, "MonitoringNotScheduledCause", error=MONITORING_NOT_SCHEDULED, cause=(
        "States.Format('Endpoint {} serves model package {} (endpoint config {}), but drift monitoring was not "
        "scheduled: Model Monitor schedule {} could not be pointed at this version: {}', $.names.endpoint, "
        "$.model_package_arn, $.names.endpoint_config, $.monitoring.schedule, $.failure.Cause)")
    ).next(fail_state(scope, MONITORING_NOT_SCHEDULED))


def _job_definition(scope: Construct, *, arns: Arns, resources: ServingResources, monitor: ModelMonitorResources,
                    not_scheduled: sfn.IChainable, next_state: sfn.IChainable) -> sfn.IChainable:
    create = sagemaker(scope, "CreateDataQualityJobDefinition", "createDataQualityJobDefinition",
                       arns.job_definitions, {
                           "JobDefinitionName": sfn.JsonPath.string_at("$.monitoring.job_definition"),
                           "DataQualityBaselineConfig": {
                               "ConstraintsResource": {"S3Uri": sfn.JsonPath.string_at(f"{BASELINES}.constraints")},
                               "StatisticsResource": {"S3Uri": sfn.JsonPath.string_at(f"{BASELINES}.statistics")}},
                           # The analyzer's defaults: no entrypoint, arguments or environment.
                           "DataQualityAppSpecification": {"ImageUri": monitor.image_uri},
                           "DataQualityJobInput": {"EndpointInput": {
                               "EndpointName": sfn.JsonPath.string_at("$.names.endpoint"),
                               "LocalPath": ENDPOINT_INPUT_PATH, "S3InputMode": "File",
                               "S3DataDistributionType": "FullyReplicated"}},
                           "DataQualityJobOutputConfig": {
                               "MonitoringOutputs": [{"S3Output": {"S3Uri": monitor.output_uri, "LocalPath": OUTPUT_PATH,
                                                                   "S3UploadMode": "EndOfJob"}}],
                               "KmsKeyId": resources.key_arn},
                           "JobResources": {"ClusterConfig": {
                               "InstanceCount": sfn.JsonPath.number_at("$.monitoring.cluster.InstanceCount"),
                               "InstanceType": sfn.JsonPath.string_at("$.monitoring.cluster.InstanceType"),
                               "VolumeSizeInGB": sfn.JsonPath.number_at("$.monitoring.cluster.VolumeSizeInGB"),
                               "VolumeKmsKeyId": resources.key_arn}},
                           "NetworkConfig": network_config(monitor.vpc_config),
                           "RoleArn": resources.role_arn,
                           "StoppingCondition": {"MaxRuntimeInSeconds": sfn.JsonPath.number_at(
                               "$.monitoring.max_runtime_seconds")},
                           "Tags": resource_tags(),
                       })
    # A repeated run finds its job definition made: rather than match "already exists" wording,
    # describe it; only when that fails too is the create error the one to report.
    exists = sagemaker(scope, "FindDataQualityJobDefinition", "describeDataQualityJobDefinition",
                       arns.job_definitions, {"JobDefinitionName": sfn.JsonPath.string_at("$.monitoring.job_definition")})
    create.add_catch(exists, errors=[sfn.Errors.ALL], result_path="$.failure")
    exists.add_catch(not_scheduled, errors=[sfn.Errors.ALL], result_path="$.job_definition_lookup")
    exists.next(next_state)
    return create.next(next_state)


def _schedule(scope: Construct, *, arns: Arns, not_scheduled: sfn.IChainable,
              next_state: sfn.IChainable) -> sfn.IChainable:
    name = sfn.JsonPath.string_at("$.monitoring.schedule")
    config = {"ScheduleConfig": sfn.JsonPath.object_at("$.monitoring.schedule_config"),
              "MonitoringJobDefinitionName": sfn.JsonPath.string_at("$.monitoring.job_definition"),
              "MonitoringType": "DataQuality"}
    find = sagemaker(scope, "FindMonitoringSchedule", "describeMonitoringSchedule", arns.monitoring_schedules,
                     {"MonitoringScheduleName": name}, result_path=SCHEDULE)
    create = sagemaker(scope, "CreateMonitoringSchedule", "createMonitoringSchedule", arns.monitoring_schedules, {
        "MonitoringScheduleName": name, "MonitoringScheduleConfig": config,
        # The schedule outlives deployments: tag it with the model only.
        "Tags": [{"Key": "mlops:model", "Value.$": "$.model"}]})
    update = sagemaker(scope, "UpdateMonitoringSchedule", "updateMonitoringSchedule", arns.monitoring_schedules,
                       {"MonitoringScheduleName": name, "MonitoringScheduleConfig": config})
    # Not found (or unreadable): create it; if it did exist, CreateMonitoringSchedule says so.
    find.add_catch(create, errors=[sfn.Errors.ALL], result_path="$.schedule_lookup")
    for task in (create, update):
        catch_all(task, not_scheduled)
    remember = sfn.Pass(scope, "RememberJobDefinition", result_path="$.previous_monitoring", parameters={
        "job_definition.$": f"{SCHEDULE}.MonitoringScheduleConfig.MonitoringJobDefinitionName"}).next(update)
    pending = poll_wait(scope, "WaitForPendingSchedule").next(find)
    existing = (sfn.Choice(scope, "ExistingSchedule")
                .when(sfn.Condition.string_equals(SCHEDULE_STATUS, "Pending"), pending)
                .when(sfn.Condition.is_present(f"{SCHEDULE}.MonitoringScheduleConfig.MonitoringJobDefinitionName"),
                      remember)
                .otherwise(update))
    settled = _until_scheduled(scope, arns=arns, not_scheduled=not_scheduled,
                               next_state=_delete_previous(scope, arns=arns, next_state=next_state))
    create.next(settled)
    update.next(settled)
    return find.next(existing)


def _until_scheduled(scope: Construct, *, arns: Arns, not_scheduled: sfn.IChainable,
                     next_state: sfn.IChainable) -> sfn.IChainable:
    wait = poll_wait(scope, "WaitForSchedule")
    describe = sagemaker(scope, "DescribeMonitoringSchedule", "describeMonitoringSchedule", arns.monitoring_schedules,
                         {"MonitoringScheduleName": sfn.JsonPath.string_at("$.monitoring.schedule")},
                         result_path=SCHEDULE)
    catch_all(describe, not_scheduled)
    reason = f"{SCHEDULE}.FailureReason"
    with_reason = failure(scope, "ScheduleFailureReason", error=MONITORING_NOT_SCHEDULED, cause=(
        f"States.Format('the schedule is {{}}: {{}}', {SCHEDULE_STATUS}, {reason})")).next(not_scheduled)
    without_reason = failure(scope, "ScheduleFailureStatus", error=MONITORING_NOT_SCHEDULED, cause=(
        f"States.Format('the schedule is {{}}, not Scheduled (a stopped schedule stays stopped: start it with aws "
        f"sagemaker start-monitoring-schedule --monitoring-schedule-name {{}})', {SCHEDULE_STATUS}, "
        "$.monitoring.schedule)")).next(not_scheduled)
    status = (sfn.Choice(scope, "ScheduleStatus")
              .when(sfn.Condition.string_equals(SCHEDULE_STATUS, "Scheduled"), next_state)
              .when(sfn.Condition.string_equals(SCHEDULE_STATUS, "Pending"), wait)
              .when(sfn.Condition.is_present(reason), with_reason)
              .otherwise(without_reason))
    return wait.next(describe).next(status)


def _delete_previous(scope: Construct, *, arns: Arns, next_state: sfn.IChainable) -> sfn.IChainable:
    """The version replaced keeps nothing scheduled; its job definition goes (best effort)."""
    delete = sagemaker(scope, "DeletePreviousJobDefinition", "deleteDataQualityJobDefinition", arns.job_definitions,
                       {"JobDefinitionName": sfn.JsonPath.string_at(PREVIOUS)})
    delete.add_catch(next_state, errors=[sfn.Errors.ALL], result_path="$.monitoring_cleanup_failure")
    delete.next(next_state)
    # Two Choices, not one And: a path comparison with a missing path fails the execution.
    other = (sfn.Choice(scope, "OtherJobDefinition")
             .when(sfn.Condition.string_equals_json_path(PREVIOUS, "$.monitoring.job_definition"), next_state)
             .otherwise(delete))
    return sfn.Choice(scope, "PreviousJobDefinition").when(sfn.Condition.is_present(PREVIOUS), other).otherwise(
        next_state)
