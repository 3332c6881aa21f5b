"""AWS::S3::Bucket and AWS::S3::BucketPolicy."""

from __future__ import annotations

from typing import Any

from mlops.localcloud.resources.base import Context, Created, handler, json_text, tag_list

_CANNED_ACLS = {
    "Private": "private", "PublicRead": "public-read", "PublicReadWrite": "public-read-write",
    "AuthenticatedRead": "authenticated-read", "LogDeliveryWrite": "log-delivery-write",
    "BucketOwnerRead": "bucket-owner-read", "BucketOwnerFullControl": "bucket-owner-full-control",
    "AwsExecRead": "aws-exec-read",
}
_IGNORED = ("AccelerateConfiguration", "AnalyticsConfigurations", "IntelligentTieringConfigurations",
            "InventoryConfigurations", "MetricsConfigurations", "ReplicationConfiguration",
            "WebsiteConfiguration")


def create_bucket(ctx: Context, logical_id: str, props: dict) -> Created:
    s3 = ctx.client("s3")
    name = props.get("BucketName") or ctx.name(logical_id, max_length=63, lowercase=True)
    request: dict[str, Any] = {"Bucket": name}
    if ctx.region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": ctx.region}
    ownership = (props.get("OwnershipControls") or {}).get("Rules") or []
    if ownership:
        request["ObjectOwnership"] = ownership[0]["ObjectOwnership"]
    if props.get("ObjectLockEnabled") in (True, "true"):
        request["ObjectLockEnabledForBucket"] = True
    s3.create_bucket(**request)
    if "ObjectLockConfiguration" in props:
        s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration=props["ObjectLockConfiguration"])
    if "AccessControl" in props:
        s3.put_bucket_acl(Bucket=name, ACL=_CANNED_ACLS.get(props["AccessControl"], props["AccessControl"]))
    if "VersioningConfiguration" in props:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": props["VersioningConfiguration"]["Status"]})
    if "BucketEncryption" in props:
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            "Rules": [_encryption_rule(rule) for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]]})
    if "PublicAccessBlockConfiguration" in props:
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
    if "LifecycleConfiguration" in props:
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={
            "Rules": [_lifecycle_rule(rule) for rule in props["LifecycleConfiguration"]["Rules"]]})
    if "CorsConfiguration" in props:
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [
            _cors_rule(rule) for rule in props["CorsConfiguration"]["CorsRules"]]})
    if props.get("Tags"):
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list(props["Tags"])})
    if "NotificationConfiguration" in props:
        s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration=notification_configuration(props["NotificationConfiguration"]))
    if "LoggingConfiguration" in props:
        logging_config = props["LoggingConfiguration"]
        target = logging_config.get("DestinationBucketName", name)
        status = {"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": logging_config.get("LogFilePrefix", "")}}
        # S3 checks the target's ACL or bucket policy, and CDK does not make the bucket depend on
        # the target's policy: apply once every resource exists.
        ctx.defer(logical_id, lambda: s3.put_bucket_logging(Bucket=name, BucketLoggingStatus=status))
    for key in _IGNORED:
        if key in props:
            ctx.warn(f"{logical_id} (AWS::S3::Bucket): {key} is not applied in the embedded cloud")
    return Created(name, bucket_attributes(ctx, name))


def bucket_attributes(ctx: Context, name: str) -> dict[str, str]:
    suffix = ctx.url_suffix
    return {
        "Arn": f"arn:{ctx.partition}:s3:::{name}",
        "DomainName": f"{name}.s3.{suffix}",
        "RegionalDomainName": f"{name}.s3.{ctx.region}.{suffix}",
        "DualStackDomainName": f"{name}.s3.dualstack.{ctx.region}.{suffix}",
        "WebsiteURL": f"http://{name}.s3-website-{ctx.region}.{suffix}",
    }


def _encryption_rule(rule: dict) -> dict:
    renames = {"ServerSideEncryptionByDefault": "ApplyServerSideEncryptionByDefault"}
    return {renames.get(k, k): v for k, v in rule.items()}


def _lifecycle_rule(rule: dict) -> dict:
    """A CloudFormation lifecycle rule in the S3 API's shape."""
    out: dict[str, Any] = {"Status": rule["Status"]}
    if "Id" in rule:
        out["ID"] = rule["Id"]
    filters = []
    if "Prefix" in rule:
        filters.append({"Prefix": rule["Prefix"]})
    filters += [{"Tag": {"Key": t["Key"], "Value": t["Value"]}} for t in rule.get("TagFilters", [])]
    for size in ("ObjectSizeGreaterThan", "ObjectSizeLessThan"):
        if size in rule:
            filters.append({size: int(rule[size])})
    if len(filters) > 1:
        merged: dict[str, Any] = {"Tags": []}
        for f in filters:
            if "Tag" in f:
                merged["Tags"].append(f["Tag"])
            else:
                merged.update(f)
        out["Filter"] = {"And": merged}
    else:
        out["Filter"] = filters[0] if filters else {"Prefix": ""}
    expiration = {}
    if "ExpirationInDays" in rule:
        expiration["Days"] = int(rule["ExpirationInDays"])
    if "ExpirationDate" in rule:
        expiration["Date"] = rule["ExpirationDate"]
    if "ExpiredObjectDeleteMarker" in rule:
        expiration["ExpiredObjectDeleteMarker"] = bool(rule["ExpiredObjectDeleteMarker"])
    if expiration:
        out["Expiration"] = expiration
    if "NoncurrentVersionExpiration" in rule:
        out["NoncurrentVersionExpiration"] = {k: int(v) for k, v in rule["NoncurrentVersionExpiration"].items()}
    elif "NoncurrentVersionExpirationInDays" in rule:
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": int(rule["NoncurrentVersionExpirationInDays"])}
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": int(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])}
    transitions = rule.get("Transitions") or ([rule["Transition"]] if "Transition" in rule else [])
    if transitions:
        out["Transitions"] = [_transition(t, "TransitionInDays", "Days") for t in transitions]
    noncurrent = rule.get("NoncurrentVersionTransitions") or (
        [rule["NoncurrentVersionTransition"]] if "NoncurrentVersionTransition" in rule else [])
    if noncurrent:
        out["NoncurrentVersionTransitions"] = [_transition(t, "TransitionInDays", "NoncurrentDays") for t in noncurrent]
    return out


def _transition(transition: dict, days_key: str, api_days_key: str) -> dict:
    out = {"StorageClass": transition["StorageClass"]}
    if days_key in transition:
        out[api_days_key] = int(transition[days_key])
    if "TransitionDate" in transition:
        out["Date"] = transition["TransitionDate"]
    if "NewerNoncurrentVersions" in transition:
        out["NewerNoncurrentVersions"] = int(transition["NewerNoncurrentVersions"])
    return out


def _cors_rule(rule: dict) -> dict:
    renames = {"ExposedHeaders": "ExposeHeaders", "Id": "ID", "MaxAge": "MaxAgeSeconds"}
    return {renames.get(k, k): v for k, v in rule.items()}


def notification_configuration(config: dict) -> dict:
    """A bucket notification configuration in the S3 API's shape, from either CloudFormation's
    shape (`AWS::S3::Bucket`) or the API shape CDK's `Custom::S3BucketNotifications` carries."""
    out: dict[str, Any] = {}
    if "EventBridgeConfiguration" in config:
        eventbridge = config["EventBridgeConfiguration"] or {}
        if eventbridge.get("EventBridgeEnabled", True) not in (False, "false"):
            out["EventBridgeConfiguration"] = {}
    for cfn_key, api_key, arn_key, cfn_arn_key in (
        ("LambdaConfigurations", "LambdaFunctionConfigurations", "LambdaFunctionArn", "Function"),
        ("QueueConfigurations", "QueueConfigurations", "QueueArn", "Queue"),
        ("TopicConfigurations", "TopicConfigurations", "TopicArn", "Topic"),
    ):
        for item in config.get(cfn_key, []) + (config.get(api_key, []) if api_key != cfn_key else []):
            out.setdefault(api_key, []).append(_notification_target(item, arn_key, cfn_arn_key))
    return out


def _notification_target(item: dict, arn_key: str, cfn_arn_key: str) -> dict:
    if arn_key in item:  # already in the API's shape
        return item
    target: dict[str, Any] = {arn_key: item[cfn_arn_key], "Events": [item["Event"]]}
    rules = (((item.get("Filter") or {}).get("S3Key") or {}).get("Rules")) or []
    if rules:
        target["Filter"] = {"Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}}
    return target


def create_bucket_policy(ctx: Context, logical_id: str, props: dict) -> Created:
    ctx.client("s3").put_bucket_policy(Bucket=props["Bucket"], Policy=json_text(props["PolicyDocument"]))
    return Created(ctx.name(logical_id, max_length=128))


HANDLERS = {
    "AWS::S3::Bucket": handler(
        create_bucket,
        attributes=("Arn", "DomainName", "RegionalDomainName", "DualStackDomainName", "WebsiteURL"),
        properties=("BucketName", "OwnershipControls", "AccessControl", "VersioningConfiguration",
                    "BucketEncryption", "PublicAccessBlockConfiguration", "LifecycleConfiguration",
                    "CorsConfiguration", "Tags", "NotificationConfiguration", "LoggingConfiguration",
                    "ObjectLockEnabled", "ObjectLockConfiguration", *_IGNORED),
    ),
    "AWS::S3::BucketPolicy": handler(create_bucket_policy, properties=("Bucket", "PolicyDocument")),
}

__all__ = ["HANDLERS", "bucket_attributes", "notification_configuration"]
