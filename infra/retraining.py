"""The retraining trigger: an EventBridge rule on the default bus for retraining requests
(`source: mlops.retraining`, `detail-type: Retraining Requested`; mlops_core.retraining) ->
the StartPipeline Lambda, with the same retry policy and dead-letter queue as uploads.

Anything may send one: `mlops retrain`, a monitoring alarm's rule, an operator's PutEvents.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from mlops_core.retraining import DETAIL_TYPE, SOURCE


class RetrainingTrigger(Construct):
    """`rule`."""

    def __init__(self, scope: Construct, construct_id: str, *, target: lambda_.IFunction,
                 dead_letter_queue: sqs.IQueue) -> None:
        super().__init__(scope, construct_id)
        self.rule = events.Rule(
            self, "Rule",
            description="Starts a retraining run on a model's latest accepted data",
            # Requests from this account only, should the bus ever accept other accounts' events.
            event_pattern=events.EventPattern(source=[SOURCE], detail_type=[DETAIL_TYPE],
                                              account=[cdk.Stack.of(self).account]),
        )
        self.rule.add_target(targets.LambdaFunction(
            target,
            dead_letter_queue=dead_letter_queue,
            max_event_age=cdk.Duration.hours(2),
            retry_attempts=4,
        ))
