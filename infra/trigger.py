"""The upload trigger (contracts.md "Trigger"): S3 `Object Created` under `datasets/` in the
data bucket -> the StartPipeline Lambda, with a retry policy and an encrypted SQS dead-letter
queue for events that could not be delivered."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.data import DATASETS_PREFIX
from infra.nag import acknowledge


class UploadTrigger(Construct):
    """`rule` and `dead_letter_queue`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        target: lambda_.IFunction,
        key: kms.IKey,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dead_letter_queue = sqs.Queue(
            self, "DeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
        )
        acknowledge(self.dead_letter_queue, "AwsSolutions-SQS3",
                    "This queue is itself the dead-letter queue of the upload trigger.")
        # EventBridge encrypts what it sends to the queue with the stack key: the AWS-managed
        # SQS key cannot grant that to a service. (Not conditioned on the rule's ARN: the key
        # is created before the rule, and the rule needs the bucket that needs the key.)
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="EventBridgeDeadLetters",
            principals=[iam.ServicePrincipal("events.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": cdk.Stack.of(self).account}},
        ))
        self.rule = events.Rule(
            self, "Rule",
            description="Starts a training run when a dataset is uploaded",
            event_pattern=events.EventPattern(
                source=["aws.s3"],
                # Only this account's S3 (PutEvents refuses `aws.` sources to everyone else's
                # code, and the default bus takes no other account's events without a policy).
                account=[cdk.Stack.of(self).account],
                detail_type=["Object Created"],
                detail={
                    "bucket": {"name": [bucket.bucket_name]},
                    "object": {"key": [{"prefix": DATASETS_PREFIX}]},
                },
            ),
        )
        self.rule.add_target(targets.LambdaFunction(
            target,
            dead_letter_queue=self.dead_letter_queue,
            max_event_age=cdk.Duration.hours(2),
            retry_attempts=4,
        ))
