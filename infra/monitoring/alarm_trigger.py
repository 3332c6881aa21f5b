"""The rules that close the monitoring loop (docs/contracts.md "Monitoring"):

- `AlarmRetrainingTrigger`: CloudWatch's `CloudWatch Alarm State Change` of the stack's drift and
  model-quality alarms into ALARM -> StartPipeline, which turns it into a retraining request
  (mlops_core.alarm_retraining: episode, cooldown).
- `MonitorJobTrigger`: SageMaker's `SageMaker Processing Job State Change` of a finished check
  job (names ending -dq / -mq) -> MonitorEndpoint, which puts the job's datapoints (the job runs
  network-isolated and cannot).
- `ModelMonitorExecutionTrigger` (monitoring.engine "model-monitor"): the same event of a finished
  execution of the stack's Model Monitor schedules (its detail names the MonitoringScheduleArn)
  -> MonitorEndpoint, which puts the drifted_feature_share Model Monitor does not.

Both with the uploads' retry policy and dead-letter queue; the functions check again what the
pattern narrows, because a direct invocation skips the rule.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from mlops_core.alarm_retraining import ALARM, DETAIL_TYPE, SOURCE

JOB_STATE_CHANGE = "SageMaker Processing Job State Change"
JOB_SUFFIXES = ("-dq", "-mq")  # mlops_core.naming.monitoring_job_name
FINISHED = ["Completed", "Failed", "Stopped"]


def _lambda_target(function: lambda_.IFunction, dead_letters: sqs.IQueue) -> targets.LambdaFunction:
    return targets.LambdaFunction(function, dead_letter_queue=dead_letters, max_event_age=cdk.Duration.hours(2),
                                  retry_attempts=4)


class AlarmRetrainingTrigger(Construct):
    """`rule`."""

    def __init__(self, scope: Construct, construct_id: str, *, alarm_names: list[str], target: lambda_.IFunction,
                 dead_letter_queue: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        self.rule = events.Rule(
            self, "Rule",
            description="Starts a retraining run when a drift or model-quality alarm goes into ALARM",
            event_pattern=events.EventPattern(
                source=[SOURCE], detail_type=[DETAIL_TYPE], account=[cdk.Stack.of(self).account],
                detail={"alarmName": sorted(alarm_names), "state": {"value": [ALARM]}}),
        )
        self.rule.add_target(_lambda_target(target, dead_letter_queue))


class MonitorJobTrigger(Construct):
    """`rule`."""

    def __init__(self, scope: Construct, construct_id: str, *, target: lambda_.IFunction,
                 dead_letter_queue: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        self.rule = events.Rule(
            self, "Rule",
            description="Puts the metrics of a finished monitoring Processing job",
            event_pattern=events.EventPattern(
                source=["aws.sagemaker"], detail_type=[JOB_STATE_CHANGE], account=[cdk.Stack.of(self).account],
                detail={"ProcessingJobStatus": FINISHED,
                        "ProcessingJobName": [{"suffix": suffix} for suffix in JOB_SUFFIXES]}),
        )
        self.rule.add_target(_lambda_target(target, dead_letter_queue))


class ModelMonitorExecutionTrigger(Construct):
    """`rule`: executions of `schedules` (the Model Monitor schedule names) -> `target`."""

    def __init__(self, scope: Construct, construct_id: str, *, schedules: list[str], target: lambda_.IFunction,
                 dead_letter_queue: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        # SageMaker shows the schedule's ARN with its name in lower case; the name as created too,
        # in case a caller spells it so: both match exactly, nothing else does.
        arns = [stack.format_arn(service="sagemaker", resource="monitoring-schedule", resource_name=name)
                for name in sorted({spelling for name in schedules for spelling in (name.lower(), name)})]
        self.rule = events.Rule(
            self, "Rule",
            description="Puts the drifted-feature share of a finished Model Monitor execution",
            event_pattern=events.EventPattern(
                source=["aws.sagemaker"], detail_type=[JOB_STATE_CHANGE], account=[stack.account],
                detail={"ProcessingJobStatus": FINISHED, "MonitoringScheduleArn": arns}),
        )
        self.rule.add_target(_lambda_target(target, dead_letter_queue))
