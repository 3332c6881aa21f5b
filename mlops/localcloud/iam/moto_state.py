"""What the IAM check reads from moto's stores (moto is pinned exactly: these touch internals).

Some permissions depend on state, not on the request alone: reading an SSE-KMS object needs
kms:Decrypt on the key the object was written with; writing into a bucket with default
encryption needs kms:GenerateDataKey on the bucket's key; a KMS-encrypted queue needs the
queue's key. Every lookup answers None when the thing does not exist (the call then fails in
moto anyway, and AWS would have checked the same permissions first).
"""

from __future__ import annotations

from dataclasses import dataclass

from moto.kms.models import kms_backends
from moto.s3.models import s3_backends
from moto.sagemaker.models import sagemaker_backends
from moto.sqs.models import sqs_backends


@dataclass(frozen=True)
class Where:
    """Account, region and partition of the embedded cloud."""

    account: str
    region: str
    partition: str = "aws"


@dataclass(frozen=True)
class Encryption:
    algorithm: str  # AES256 | aws:kms | aws:kms:dsse
    kms_key: str | None  # key ARN (None for SSE-S3 or the AWS managed aws/s3 key)
    bucket_key: bool


def bucket_encryption(where: Where, bucket: str) -> Encryption | None:
    found = s3_backends[where.account][where.partition].buckets.get(bucket)
    rule = ((found.encryption or {}).get("Rule") or {}) if found is not None else {}
    default = rule.get("ApplyServerSideEncryptionByDefault")
    if not default:
        return None
    return Encryption(default["SSEAlgorithm"], key_arn(where, default.get("KMSMasterKeyID")),
                      str(rule.get("BucketKeyEnabled", False)).lower() == "true")


def object_encryption(where: Where, bucket: str, key: str, version_id: str | None) -> Encryption | None:
    try:
        found = s3_backends[where.account][where.partition].get_object(bucket, key, version_id)
    except Exception:  # no such bucket or version: moto answers the error itself
        return None
    if found is None or not found.encryption:
        return None
    return Encryption(found.encryption, key_arn(where, found.kms_key_id),
                      str(found.bucket_key_enabled).lower() == "true")


def queue_kms_key(where: Where, queue_name: str) -> str | None:
    queue = sqs_backends[where.account][where.region].queues.get(queue_name)
    return key_arn(where, getattr(queue, "kms_master_key_id", None)) if queue is not None else None


def key_arn(where: Where, key: str | None) -> str | None:
    """The key ARN for a key id, key ARN, alias or alias ARN; None for AWS managed keys (alias/aws/*),
    whose key policies AWS writes to allow every principal of the account through the service."""
    if not key or key.startswith("alias/aws/") or ":alias/aws/" in key:
        return None
    backend = kms_backends[where.account][where.region]
    try:
        return backend.describe_key(key).arn
    except Exception:  # unknown to moto: keep what the caller named
        return key if key.startswith("arn:") else f"arn:{where.partition}:kms:{where.region}:{where.account}:key/{key}"


def next_model_package_version(where: Where, group: str) -> int:
    """The version SageMaker gives the next package of `group` (versions count up from 1)."""
    packages = list(sagemaker_backends[where.account][where.region].model_packages.values())
    return 1 + sum(1 for p in packages if (p.model_package_group_name or "").lower() == group.lower())
