"""The approval trigger: SageMaker's `SageMaker Model Package State Change` event on the
default bus, for an Approved package of a group whose model has serving enabled -> the
StartDeployment Lambda (retry policy and dead-letter queue as for uploads).

The rule only narrows what reaches the function; StartDeployment checks account, region,
group and status again, because a direct invocation skips the rule.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from mlops_core.approval_event import APPROVED, DETAIL_TYPE, SOURCE


class ApprovalTrigger(Construct):
    """`rule`."""

    def __init__(self, scope: Construct, construct_id: str, *, groups: list[str], target: lambda_.IFunction,
                 dead_letter_queue: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        self.rule = events.Rule(
            self, "Rule",
            description="Starts a deployment when a model version is approved",
            event_pattern=events.EventPattern(
                source=[SOURCE],
                detail_type=[DETAIL_TYPE],
                detail={"ModelApprovalStatus": [APPROVED], "ModelPackageGroupName": sorted(groups)},
            ),
        )
        self.rule.add_target(targets.LambdaFunction(
            target,
            dead_letter_queue=dead_letter_queue,
            max_event_age=cdk.Duration.hours(2),
            retry_attempts=4,
        ))
