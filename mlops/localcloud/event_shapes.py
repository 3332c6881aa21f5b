"""Events in the shapes AWS delivers them, where moto's differ.

moto's S3 -> EventBridge events reuse one `id`, spell `eTag` and carry a wrong `reason`
(DESIGN.md section 4); these are AWS's documented shapes.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote_plus
from datetime import datetime, timezone

# moto's internal S3 event names -> (detail-type, reason) as S3 sends them to EventBridge.
_S3_EVENTS = {
    "s3:ObjectCreated:Put": ("Object Created", "PutObject"),
    "s3:ObjectCreated:Post": ("Object Created", "POST Object"),
    "s3:ObjectCreated:Copy": ("Object Created", "CopyObject"),
    "s3:ObjectCreated:CompleteMultipartUpload": ("Object Created", "CompleteMultipartUpload"),
    "s3:ObjectRemoved:Delete": ("Object Deleted", "DeleteObject"),
    "s3:ObjectRemoved:DeleteMarkerCreated": ("Object Deleted", "DeleteObject"),
    "s3:ObjectRestore:Post": ("Object Restore Initiated", "RestoreObject"),
}


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def service_event(*, source: str, detail_type: str, account: str, region: str, resources: list[str],
                  detail: dict, time: str | None = None) -> dict:
    """An event an AWS service sends to the default bus: the envelope every such event shares."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": source,
        "account": account,
        "time": time or now_iso(),
        "region": region,
        "resources": resources,
        "detail": detail,
    }


def s3_object_event(*, account: str, region: str, bucket: str, key: str, size: int, etag: str,
                    version_id: str | None, event_name: str) -> dict | None:
    """The EventBridge event S3 sends for `event_name`, or None for events S3 does not send."""
    if event_name not in _S3_EVENTS:
        return None
    detail_type, reason = _S3_EVENTS[event_name]
    # S3 URL-encodes object keys in the events it sends ("red flower.csv" -> "red+flower.csv").
    obj: dict = {"key": quote_plus(key, safe="/"), "size": size, "etag": etag.strip('"'), "sequencer": uuid.uuid4().hex[:16].upper()}
    if version_id and version_id != "null":
        obj["version-id"] = version_id
    detail = {
        "version": "0",
        "bucket": {"name": bucket},
        "object": obj,
        "request-id": uuid.uuid4().hex[:16].upper(),
        "requester": account,
        "source-ip-address": "127.0.0.1",
        "reason": reason,
    }
    if detail_type == "Object Deleted":
        detail["deletion-type"] = "Permanently Deleted" if not version_id else "Delete Marker Created"
        obj.pop("size", None)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "aws.s3",
        "account": account,
        "time": now_iso(),
        "region": region,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": detail,
    }
