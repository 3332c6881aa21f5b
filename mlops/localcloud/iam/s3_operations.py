"""S3 API operations and the IAM actions they need: S3 is where API and IAM names differ most.

From AWS's "Required permissions for Amazon S3 API operations": GetObject and HeadObject need
s3:GetObject, or s3:GetObjectVersion when the request names a VersionId; ListObjectsV2 needs
s3:ListBucket on the bucket ARN; multipart uploads need s3:PutObject; and an object encrypted
with SSE-KMS needs kms:GenerateDataKey on its key to be written and kms:Decrypt to be read (S3
calls KMS with the caller's credentials, `kms:ViaService` = s3.<region>.amazonaws.com).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

from mlops.localcloud.iam import iam_data, moto_state
from mlops.localcloud.iam.authorization import Authorization, Unmapped, pairs
from mlops.localcloud.iam.moto_state import Encryption, Where

_OBJECT_ACTIONS = {
    "GetObject": "s3:GetObject", "HeadObject": "s3:GetObject", "SelectObjectContent": "s3:GetObject",
    "PutObject": "s3:PutObject", "CreateMultipartUpload": "s3:PutObject", "UploadPart": "s3:PutObject",
    "CompleteMultipartUpload": "s3:PutObject", "AbortMultipartUpload": "s3:AbortMultipartUpload",
    "ListParts": "s3:ListMultipartUploadParts", "DeleteObject": "s3:DeleteObject",
    "GetObjectTagging": "s3:GetObjectTagging", "PutObjectTagging": "s3:PutObjectTagging",
    "DeleteObjectTagging": "s3:DeleteObjectTagging", "GetObjectAcl": "s3:GetObjectAcl",
    "PutObjectAcl": "s3:PutObjectAcl", "GetObjectAttributes": "s3:GetObjectAttributes",
}
# With a VersionId, AWS checks the version-specific action instead.
_VERSIONED = {
    "s3:GetObject": "s3:GetObjectVersion", "s3:DeleteObject": "s3:DeleteObjectVersion",
    "s3:GetObjectTagging": "s3:GetObjectVersionTagging", "s3:PutObjectTagging": "s3:PutObjectVersionTagging",
    "s3:DeleteObjectTagging": "s3:DeleteObjectVersionTagging", "s3:GetObjectAcl": "s3:GetObjectVersionAcl",
    "s3:PutObjectAcl": "s3:PutObjectVersionAcl", "s3:GetObjectAttributes": "s3:GetObjectVersionAttributes",
}
_BUCKET_ACTIONS = {
    "ListObjects": "s3:ListBucket", "ListObjectsV2": "s3:ListBucket", "HeadBucket": "s3:ListBucket",
    "ListObjectVersions": "s3:ListBucketVersions", "ListMultipartUploads": "s3:ListBucketMultipartUploads",
    "GetBucketEncryption": "s3:GetEncryptionConfiguration", "PutBucketEncryption": "s3:PutEncryptionConfiguration",
    "GetBucketNotificationConfiguration": "s3:GetBucketNotification",
    "PutBucketNotificationConfiguration": "s3:PutBucketNotification",
    "GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
    "GetBucketLogging": "s3:GetBucketLogging", "PutBucketLogging": "s3:PutBucketLogging",
    "PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock", "GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
}
_WRITES_WITH_KMS = {"PutObject", "CreateMultipartUpload"}
_READS_WITH_KMS = {"GetObject", "SelectObjectContent"}


def authorizations(operation: str, params: dict, where: Where) -> list[Authorization]:
    if operation == "ListBuckets":
        return [Authorization("s3:ListAllMyBuckets", "*")]
    if operation == "CopyObject":
        return _copy(params, where)
    if operation == "DeleteObjects":
        return [_object(_VERSIONED["s3:DeleteObject"] if item.get("VersionId") else "s3:DeleteObject",
                        params["Bucket"], item["Key"], where, {"s3:versionid": item.get("VersionId")})
                for item in (params.get("Delete") or {}).get("Objects", [])]
    if operation in _OBJECT_ACTIONS:
        return _object_operation(operation, params, where)
    action = _BUCKET_ACTIONS.get(operation) or iam_data.action_name(f"s3:{operation}")
    if action is None or "Bucket" not in params:
        raise Unmapped(f"S3 {operation}: no IAM action known for it")
    if "Key" in params:
        return [_object(action, params["Bucket"], params["Key"], where, _request_keys(params))]
    return [Authorization(action, _bucket_arn(where, params["Bucket"]), _context(where, _request_keys(params)))]


def _object_operation(operation: str, params: dict, where: Where) -> list[Authorization]:
    bucket, key, version = params["Bucket"], params["Key"], params.get("VersionId")
    action = _OBJECT_ACTIONS[operation]
    if version:
        action = _VERSIONED.get(action, action)
    out = [_object(action, bucket, key, where, _request_keys(params))]
    if operation == "PutObject" and params.get("Tagging"):
        out.append(_object("s3:PutObjectTagging", bucket, key, where, _request_keys(params)))
    if operation in ("PutObject", "CreateMultipartUpload") and params.get("ACL"):
        out.append(_object("s3:PutObjectAcl", bucket, key, where, _request_keys(params)))
    if operation in _WRITES_WITH_KMS:
        # AWS documents kms:Decrypt too for multipart uploads: S3 decrypts the parts to complete them.
        actions = ("kms:GenerateDataKey", "kms:Decrypt") if operation == "CreateMultipartUpload" else (
            "kms:GenerateDataKey",)
        out += _kms(actions, bucket, key, _write_encryption(params, where), where)
    if operation in _READS_WITH_KMS:
        out += _kms(("kms:Decrypt",), bucket, key, moto_state.object_encryption(where, bucket, key, version), where)
    return out


def _copy(params: dict, where: Where) -> list[Authorization]:
    source, _, query = unquote(params["CopySource"]).lstrip("/").partition("?")
    source_bucket, _, source_key = source.partition("/")
    source_version = dict(parse_qsl(query)).get("versionId")
    bucket, key = params["Bucket"], params["Key"]
    return [
        _object("s3:PutObject", bucket, key, where, _request_keys(params)),
        _object("s3:GetObjectVersion" if source_version else "s3:GetObject", source_bucket, source_key, where,
                {"s3:versionid": source_version}),
        *_kms(("kms:Decrypt",), source_bucket, source_key,
              moto_state.object_encryption(where, source_bucket, source_key, source_version), where),
        *_kms(("kms:GenerateDataKey",), bucket, key, _write_encryption(params, where), where),
    ]


def _write_encryption(params: dict, where: Where) -> Encryption | None:
    default = moto_state.bucket_encryption(where, params["Bucket"])
    algorithm = params.get("ServerSideEncryption") or (default.algorithm if default else None)
    if not algorithm or not algorithm.startswith("aws:kms"):
        return None
    key = moto_state.key_arn(where, params.get("SSEKMSKeyId")) if params.get("SSEKMSKeyId") else (
        default.kms_key if default else None)
    bucket_key = params.get("BucketKeyEnabled")
    bucket_key = default.bucket_key if bucket_key is None and default else bool(bucket_key)
    return Encryption(algorithm, key, bucket_key)


def _kms(actions, bucket: str, key: str, encryption: Encryption | None, where: Where) -> list[Authorization]:
    if encryption is None or not encryption.algorithm.startswith("aws:kms") or encryption.kms_key is None:
        return []
    # With an S3 Bucket Key, S3 asks KMS for a bucket-level data key (context: the bucket ARN).
    arn = _bucket_arn(where, bucket) if encryption.bucket_key else _object_arn(where, bucket, key)
    keys = _context(where, {
        "kms:ViaService": f"s3.{where.region}.amazonaws.com", "kms:CallerAccount": where.account,
        "kms:EncryptionContext:aws:s3:arn": arn, "kms:EncryptionContextKeys": ["aws:s3:arn"],
    })
    note = f"S3 uses the KMS key of s3://{bucket}/{key} with the caller's credentials"
    return [Authorization(action, encryption.kms_key, keys, note=note) for action in actions]


def _object(action: str, bucket: str, key: str, where: Where, keys: dict) -> Authorization:
    return Authorization(action, _object_arn(where, bucket, key), _context(where, keys))


def _request_keys(params: dict) -> dict:
    tags = dict(parse_qsl(params.get("Tagging") or ""))
    keys = {
        "s3:prefix": params.get("Prefix"), "s3:delimiter": params.get("Delimiter"),
        "s3:max-keys": params.get("MaxKeys"), "s3:versionid": params.get("VersionId"),
        "s3:x-amz-server-side-encryption": params.get("ServerSideEncryption"),
        "s3:x-amz-server-side-encryption-aws-kms-key-id": params.get("SSEKMSKeyId"),
        "s3:x-amz-acl": params.get("ACL"), "s3:x-amz-copy-source": params.get("CopySource"),
        "s3:RequestObjectTagKeys": list(tags) or None,
    }
    keys.update({f"s3:RequestObjectTag/{k}": v for k, v in tags.items()})
    return keys


def _context(where: Where, keys: dict) -> tuple:
    return pairs({"s3:signatureversion": "AWS4-HMAC-SHA256", "s3:authType": "REST-HEADER",
                  "s3:ResourceAccount": where.account, **keys})


def _bucket_arn(where: Where, bucket: str) -> str:
    return f"arn:{where.partition}:s3:::{bucket}"


def _object_arn(where: Where, bucket: str, key: str) -> str:
    return f"arn:{where.partition}:s3:::{bucket}/{key}"
