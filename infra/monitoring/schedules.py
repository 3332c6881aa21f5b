"""EventBridge Scheduler schedules (docs/contracts.md "Monitoring"): per monitored model the
data-quality and model-quality checks (MonitorEndpoint, Input {"model", "check"}) every
schedule_minutes, and with retraining.schedule_days a fixed retraining request (StartPipeline).
With monitoring.engine "model-monitor" SageMaker's own schedule checks drift (the deployment
pipeline points it at each version it deploys), so there is no data-quality schedule here.

Each kind has its own role that may invoke only its one function; failed invocations are
retried and then dead-lettered to the stack's dead-letter queue, as every trigger's are.
"""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.monitoring.metrics import monitored
from infra.settings import pascal
from mlops.config import ModelConfig, StageConfig
from mlops_core.naming import (
    DATA_QUALITY_CHECK,
    MODEL_QUALITY_CHECK,
    monitoring_schedule_name,
)
from mlops_core.model_monitor_schedule import SERVERLESS
from mlops_core.retraining import DETAIL_TYPE, SOURCE

SCHEDULE_NAME_MAX = 64  # Scheduler: 1-64 of [0-9a-zA-Z-_.]
RETRY_ATTEMPTS = 4
MAX_EVENT_AGE = cdk.Duration.hours(2)


def group_name(stack_name: str) -> str:
    return f"{stack_name[:SCHEDULE_NAME_MAX - len('-monitoring')]}-monitoring"


def retraining_schedule_name(stack_name: str, model: str) -> str:
    return f"{stack_name[:40]}-{model}-retrain"[:SCHEDULE_NAME_MAX]


def scheduler_role(scope: Construct, construct_id: str, description: str) -> iam.Role:
    """A role only this account's Scheduler may assume (confused-deputy guard)."""
    account = cdk.Stack.of(scope).account
    return iam.Role(scope, construct_id, description=description, assumed_by=iam.ServicePrincipal(
        "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": account}}))


@jsii.implements(scheduler.IScheduleTarget)
class _InvokeFunction:
    """Invoke one function with a fixed input. CDK's own LambdaInvoke target grants the role
    every version and alias of the function too (`<arn>:*`); this one grants the function only."""

    def __init__(self, function: lambda_.IFunction, payload: dict, role: iam.IRole, dead_letters: sqs.IQueue) -> None:
        self._function, self._payload, self._role, self._dead_letters = function, payload, role, dead_letters

    def bind(self, _schedule: scheduler.ISchedule) -> scheduler.ScheduleTargetConfig:
        self._role.add_to_principal_policy(iam.PolicyStatement(actions=["lambda:InvokeFunction"],
                                                               resources=[self._function.function_arn]))
        # What SQS needs of a sender to an SSE-KMS queue (grant_send_messages adds ReEncrypt* too).
        self._role.add_to_principal_policy(iam.PolicyStatement(actions=["sqs:SendMessage"],
                                                               resources=[self._dead_letters.queue_arn]))
        if self._dead_letters.encryption_master_key:
            self._dead_letters.encryption_master_key.grant(self._role, "kms:GenerateDataKey", "kms:Decrypt")
        return scheduler.ScheduleTargetConfig(
            arn=self._function.function_arn, role=self._role,
            input=scheduler.ScheduleTargetInput.from_object(self._payload),
            retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                maximum_event_age_in_seconds=int(MAX_EVENT_AGE.to_seconds()), maximum_retry_attempts=RETRY_ATTEMPTS),
            dead_letter_config=scheduler.CfnSchedule.DeadLetterConfigProperty(arn=self._dead_letters.queue_arn),
        )


def _target(function: lambda_.IFunction, payload: dict, role: iam.IRole, dead_letters: sqs.IQueue) -> _InvokeFunction:
    return _InvokeFunction(function, payload, role, dead_letters)


class MonitoringSchedules(Construct):
    """`group`, `role` (invokes MonitorEndpoint only), `schedules`: schedule name -> Schedule."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, function: lambda_.IFunction,
                 dead_letter_queue: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        self.group = scheduler.ScheduleGroup(self, "Group", schedule_group_name=group_name(config.stack_name))
        self.role = scheduler_role(self, "Role", "Lets EventBridge Scheduler run the monitoring checks")
        self.schedules: dict[str, scheduler.Schedule] = {}
        for model in monitored(config.models):
            checks = ([DATA_QUALITY_CHECK] if model.monitoring.engine == SERVERLESS else []) + (
                [MODEL_QUALITY_CHECK] if model.monitoring.model_quality.enabled else [])
            for check in checks:
                self._add(model, check, function, dead_letter_queue)

    def _add(self, model: ModelConfig, check: str, function: lambda_.IFunction, dead_letters: sqs.IQueue) -> None:
        name = monitoring_schedule_name(model.serving.endpoint_name, check)
        self.schedules[name] = scheduler.Schedule(
            self, f"{pascal(model.name)}{pascal(check)}",
            schedule_name=name,
            schedule_group=self.group,
            description=f"Runs the {check} check of model {model.name}",
            schedule=scheduler.ScheduleExpression.rate(cdk.Duration.minutes(model.monitoring.schedule_minutes)),
            target=_target(function, {"model": model.name, "check": check}, self.role, dead_letters),
        )


class RetrainingSchedules(Construct):
    """`role` (invokes StartPipeline only), `schedules`: model -> its fixed retraining schedule."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig, group: scheduler.IScheduleGroup,
                 function: lambda_.IFunction, dead_letter_queue: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        self.schedules: dict[str, scheduler.Schedule] = {}
        models = [m for m in monitored(config.models) if m.monitoring.retraining.schedule_days]
        self.role = scheduler_role(self, "Role", "Lets EventBridge Scheduler request fixed retraining") if models \
            else None
        for model in models:
            days = model.monitoring.retraining.schedule_days
            # The scheduled time makes each firing its own episode: one run per firing.
            request = {"source": SOURCE, "detail-type": DETAIL_TYPE, "detail": {
                "model": model.name, "episode": f"schedule|{scheduler.ContextAttribute.scheduled_time}",
                "reason": f"fixed retraining schedule: every {days} day(s)"}}
            self.schedules[model.name] = scheduler.Schedule(
                self, pascal(model.name),
                schedule_name=retraining_schedule_name(config.stack_name, model.name),
                schedule_group=group,
                description=f"Retrains model {model.name} on its latest accepted data every {days} day(s)",
                schedule=scheduler.ScheduleExpression.rate(cdk.Duration.days(days)),
                target=_target(function, request, self.role, dead_letter_queue),
            )
