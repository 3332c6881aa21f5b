"""Storage: the KMS key, the data bucket (uploads start runs), the artifacts bucket (splits,
models, reports) and the server-access-log bucket.

Removal policy: RETAIN for the key and all buckets. Datasets, models and their lineage must
outlive a `cdk destroy`, and the key must stay to decrypt what is retained; delete them by
hand when they are truly unwanted. (No auto-delete custom resource either.)
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.nag import acknowledge

DATASETS_PREFIX = "datasets/"


class DataStorage(Construct):
    """`key`, `data_bucket`, `artifacts_bucket`, `log_bucket`."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self, "Key",
            description=f"Encrypts the data, artifacts and dead letters of {cdk.Stack.of(self).stack_name}",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        # Server access logs cannot be delivered to an SSE-KMS bucket: SSE-S3 here.
        self.log_bucket = s3.Bucket(
            self, "AccessLogs",
            versioned=True,  # a log overwritten or deleted by mistake (or on purpose) can be recovered
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(self.log_bucket, "AwsSolutions-S1",
                    "This is the server access log bucket; logging it into itself would loop.")
        self.data_bucket = self._encrypted_bucket("Data", log_prefix="data/")
        # S3 -> EventBridge "Object Created" events, set natively on the bucket
        # (NotificationConfiguration.EventBridgeConfiguration) rather than through the
        # Custom::S3BucketNotifications Lambda that `event_bridge_enabled=True` would add.
        bucket = self.data_bucket.node.default_child
        bucket.notification_configuration = s3.CfnBucket.NotificationConfigurationProperty(
            event_bridge_configuration=s3.CfnBucket.EventBridgeConfigurationProperty(event_bridge_enabled=True),
        )
        self.artifacts_bucket = self._encrypted_bucket("Artifacts", log_prefix="artifacts/")

    def _encrypted_bucket(self, construct_id: str, *, log_prefix: str) -> s3.Bucket:
        return s3.Bucket(
            self, construct_id,
            versioned=True,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,  # one KMS call per object batch instead of per request
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            server_access_logs_bucket=self.log_bucket,
            server_access_logs_prefix=log_prefix,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
