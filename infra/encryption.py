"""Encryption at rest for what the stack logs and publishes: a customer-managed KMS key for
every CloudWatch Logs log group, the stack key for every SNS topic.

An aspect does it, not each construct: every log group and topic in the stack, whoever adds
it (Lambda functions, state machines, VPC flow logs, later features), is encrypted, and
tests/infra/test_security_encryption.py checks the template for any that is not.

The logs key's policy lets CloudWatch Logs use it only for this stack's log groups: the
service puts the log group's ARN in the encryption context (`aws:logs:arn`), and the key
policy names exactly those ARNs (CloudFormation-generated names start with the stack name).
See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
"""

from __future__ import annotations

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct, IConstruct

# What CloudWatch Logs does with a log group's key (the AWS guide's list, without wildcards).
LOGS_KEY_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
                    "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
# What a service publishing to an encrypted topic needs (SNS encrypts with the publisher's grant).
TOPIC_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"]
# AWS services that publish to topics on the stack's behalf (alarm actions, EventBridge targets).
TOPIC_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]


class StackEncryption(Construct):
    """`logs_key`: encrypts the stack's log groups. `topics_key` (given): encrypts its topics.
    Call `apply()` once; the aspect then reaches every log group and topic at synth."""

    def __init__(self, scope: Construct, construct_id: str, *, topics_key: kms.IKey) -> None:
        super().__init__(scope, construct_id)
        stack = cdk.Stack.of(self)
        self.topics_key = topics_key
        self.logs_key = kms.Key(
            self, "LogsKey",
            description=f"Encrypts the CloudWatch Logs log groups of {stack.stack_name}",
            enable_key_rotation=True,
            # The log groups go with the stack, so their key may too (after KMS's waiting period).
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self._named_groups: list[str] = []
        self._unnamed_groups = False
        self._topics = 0
        self.logs_key.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudWatchLogsOfThisStack",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=LOGS_KEY_ACTIONS,
            resources=["*"],  # in a key policy, "*" is this key
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": cdk.Lazy.list(_Producer(self._log_arns))}},
        ))

    def apply(self) -> None:
        cdk.Aspects.of(cdk.Stack.of(self)).add(_EncryptAtRest(self))

    def _log_arns(self) -> list[str]:
        stack = cdk.Stack.of(self)

        def arn(name: str) -> str:
            return stack.format_arn(service="logs", resource="log-group", resource_name=name,
                                    arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME)

        # CloudFormation names an unnamed log group `<stack name>-<logical id>-<suffix>`.
        unnamed = [arn(f"{stack.stack_name}-*")] if self._unnamed_groups else []
        return unnamed + [arn(name) for name in self._named_groups]

    def encrypt_log_group(self, group: logs.CfnLogGroup) -> None:
        group.kms_key_id = self.logs_key.key_arn
        # The L2 LogGroup hands an unset name over as a token that resolves to nothing.
        if cdk.Stack.of(group).resolve(group.log_group_name) in (None, ""):
            self._unnamed_groups = True
        else:
            self._named_groups.append(group.log_group_name)

    def encrypt_topic(self, topic: sns.CfnTopic) -> None:
        topic.kms_master_key_id = self.topics_key.key_arn
        self._topics += 1
        if self._topics == 1:  # the services may use the key only once there is a topic
            self.topics_key.add_to_resource_policy(iam.PolicyStatement(
                sid="ServicesPublishingToTopics",
                principals=[iam.ServicePrincipal(service) for service in TOPIC_PUBLISHERS],
                actions=TOPIC_KEY_ACTIONS,
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": cdk.Stack.of(self).account}},
            ))


@jsii.implements(cdk.IStableListProducer)
class _Producer:
    def __init__(self, produce) -> None:
        self._produce = produce

    def produce(self, context=None) -> list[str]:
        return self._produce()


@jsii.implements(cdk.IAspect)
class _EncryptAtRest:
    def __init__(self, encryption: StackEncryption) -> None:
        self._encryption = encryption

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, logs.CfnLogGroup) and node.kms_key_id is None:
            self._encryption.encrypt_log_group(node)
        elif isinstance(node, sns.CfnTopic) and node.kms_master_key_id is None:
            self._encryption.encrypt_topic(node)
