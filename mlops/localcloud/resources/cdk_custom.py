"""CDK's own custom resources, done natively from their properties (their handler Lambdas are
created too, as the template asks, but never invoked: they would answer a CloudFormation
response URL that does not exist here).

- Custom::S3BucketNotifications: PutBucketNotificationConfiguration (merged with the bucket's
  existing configuration when `Managed` is false, as CDK's handler does).
- Custom::S3AutoDeleteObjects: nothing to do at creation.
- Custom::LogRetention: creates the log group if missing and sets (or removes) its retention.
- Custom::CDKBucketDeployment: unpacks the source zips into the destination bucket, with
  deploy-time markers replaced, Exclude/Include filters and Prune, as the CDK handler's
  `aws s3 sync` does.
"""

from __future__ import annotations

import fnmatch
import io
import json
import mimetypes
import posixpath
import zipfile

from botocore.exceptions import ClientError

from mlops.localcloud.resources.base import Context, Created, handler
from mlops.localcloud.resources.s3 import notification_configuration

_CONFIG_LISTS = ("TopicConfigurations", "QueueConfigurations", "LambdaFunctionConfigurations")


def _flag(value, default: bool) -> bool:
    if value is None:
        return default
    return str(value).lower() == "true"


def create_bucket_notifications(ctx: Context, logical_id: str, props: dict) -> Created:
    s3 = ctx.client("s3")
    bucket = props["BucketName"]
    config = notification_configuration(props.get("NotificationConfiguration") or {})
    if not _flag(props.get("Managed"), True):
        existing = s3.get_bucket_notification_configuration(Bucket=bucket)
        for key in _CONFIG_LISTS:
            config[key] = existing.get(key, []) + config.get(key, [])
            if not config[key]:
                del config[key]
        if "EventBridgeConfiguration" in existing:
            config.setdefault("EventBridgeConfiguration", {})
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration=config,
        SkipDestinationValidation=_flag(props.get("SkipDestinationValidation"), False))
    return Created(logical_id)


def create_auto_delete_objects(ctx: Context, logical_id: str, props: dict) -> Created:
    return Created(logical_id)  # acts only when the stack is deleted


def create_log_retention(ctx: Context, logical_id: str, props: dict) -> Created:
    logs = ctx.client("logs")
    name = props["LogGroupName"]
    try:
        logs.create_log_group(logGroupName=name)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ResourceAlreadyExistsException":
            raise
    days = props.get("RetentionInDays")
    if days in (None, "", "Infinity"):
        logs.delete_retention_policy(logGroupName=name)
    else:
        logs.put_retention_policy(logGroupName=name, retentionInDays=int(days))
    return Created(name)


def create_bucket_deployment(ctx: Context, logical_id: str, props: dict) -> Created:
    s3 = ctx.client("s3")
    bucket = props["DestinationBucketName"]
    prefix = props.get("DestinationBucketKeyPrefix", "")
    prefix = "" if prefix == "/" else prefix
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    sources = list(zip(props["SourceBucketNames"], props["SourceObjectKeys"]))
    markers = props.get("SourceMarkers") or [{} for _ in sources]
    markers_config = props.get("SourceMarkersConfig") or [{} for _ in sources]
    files: dict[str, bytes] = {}
    for (source_bucket, source_key), source_markers, config in zip(sources, markers, markers_config):
        body = s3.get_object(Bucket=source_bucket, Key=source_key)["Body"].read()
        if not _flag(props.get("Extract"), True):
            files[posixpath.basename(source_key)] = body
            continue
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    files[info.filename] = _replace_markers(archive.read(info), source_markers, config)
    filters = [("exclude", p) for p in props.get("Exclude", [])] + [("include", p) for p in props.get("Include", [])]
    metadata = _metadata_args(props)
    for name, body in sorted(files.items()):
        if _included(name, filters):
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            s3.put_object(Bucket=bucket, Key=prefix + name, Body=body,
                          **{"ContentType": content_type, **metadata})
    if _flag(props.get("Prune"), True):
        _prune(s3, bucket, prefix, {prefix + name for name in files}, filters)
    for key in ("DistributionId", "SignContent"):
        if props.get(key):
            ctx.warn(f"{logical_id} (Custom::CDKBucketDeployment): {key} is not applied in the embedded cloud")
    return Created(f"aws.cdk.s3deployment.{ctx.name(logical_id, max_length=64, stack_prefix=False)}", {
        "DestinationBucketArn": props.get("DestinationBucketArn", f"arn:{ctx.partition}:s3:::{bucket}"),
        "SourceObjectKeys": props["SourceObjectKeys"],
    })


def _replace_markers(body: bytes, markers: dict, config: dict) -> bytes:
    if not markers:
        return body
    json_escape = str(config.get("jsonEscape", "false")).lower() == "true"
    for token, value in markers.items():
        text = json.dumps(value)[1:-1] if json_escape and isinstance(value, str) else (
            json.dumps(value) if json_escape else value)
        body = body.replace(token.encode(), str(text).encode())
    return body


def _included(name: str, filters: list[tuple[str, str]]) -> bool:
    included = True
    for kind, pattern in filters:  # as `aws s3 sync`: later filters take precedence
        if fnmatch.fnmatch(name, pattern):
            included = kind == "include"
    return included


def _prune(s3, bucket: str, prefix: str, keep: set[str], filters: list[tuple[str, str]]) -> None:
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            key = item["Key"]
            if key not in keep and _included(key[len(prefix):], filters):
                s3.delete_object(Bucket=bucket, Key=key)


_SYSTEM_METADATA = {
    "cache-control": "CacheControl", "content-disposition": "ContentDisposition",
    "content-encoding": "ContentEncoding", "content-language": "ContentLanguage", "content-type": "ContentType",
    "expires": "Expires", "sse": "ServerSideEncryption", "sse-kms-key-id": "SSEKMSKeyId",
    "storage-class": "StorageClass", "website-redirect": "WebsiteRedirectLocation", "acl": "ACL",
}


def _metadata_args(props: dict) -> dict:
    args = {_SYSTEM_METADATA[k.lower()]: v for k, v in (props.get("SystemMetadata") or {}).items()
            if k.lower() in _SYSTEM_METADATA}
    if props.get("UserMetadata"):
        args["Metadata"] = {k.lower(): str(v) for k, v in props["UserMetadata"].items()}
    return args


_CUSTOM = ("ServiceToken",)
HANDLERS = {
    "Custom::S3BucketNotifications": handler(
        create_bucket_notifications,
        properties=(*_CUSTOM, "BucketName", "NotificationConfiguration", "Managed", "SkipDestinationValidation"),
    ),
    "Custom::S3AutoDeleteObjects": handler(create_auto_delete_objects, properties=(*_CUSTOM, "BucketName")),
    "Custom::LogRetention": handler(
        create_log_retention,
        properties=(*_CUSTOM, "LogGroupName", "RetentionInDays", "LogGroupRegion", "SdkRetry", "RemovalPolicy"),
    ),
    "Custom::CDKBucketDeployment": handler(create_bucket_deployment,
                                           attributes=("DestinationBucketArn", "SourceObjectKeys")),
}
