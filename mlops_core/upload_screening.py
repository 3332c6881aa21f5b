"""What StartPipeline refuses before it looks at any model: events that are not this stack's
uploads, and object keys the pipeline cannot carry from end to end.

- A foreign event (not S3's `Object Created`, from another account, for another bucket, or
  outside `datasets/`) can only arrive by a direct invocation: the EventBridge rule matches
  none of them. It is ignored, with the reason logged and returned; nothing is started.
- A key with `.`/`..` or empty path segments (SageMaker maps keys to file paths in the
  container), longer than the model registry records, or with characters it refuses, starts a
  run that fails at once with `UnsupportedKey`, so the uploader sees why in the execution list.
  The registry keeps the key in `CustomerMetadataProperties`, whose values are at most 256
  characters of letters, digits, spaces and `_ . : / = + - @` (SageMaker's CreateModelPackage
  API); a key outside that would fail registration after the whole run had been paid for.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from mlops_core.execution_input import build_rejection_input
from mlops_core.naming import DATASETS_PREFIX, model_from_key
from mlops_core.upload_routing import START, UploadPlan
from mlops_core.uploads import UploadedObject

UNSUPPORTED_KEY = "UnsupportedKey"
S3_SOURCE, OBJECT_CREATED = "aws.s3", "Object Created"
# SageMaker CustomerMetadataValue: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$, 1..256 characters.
MAX_KEY_CHARS = 256
_KEY_PUNCTUATION = set("_.:/=+-@")
_SHOWN_KEY_CHARS = 120


def foreign_event_problem(event: Mapping[str, Any], *, data_bucket: str, account: str) -> str | None:
    """Why `event` is not an upload of this stack to act on, or None if it is one."""
    source, detail_type = event.get("source"), event.get("detail-type")
    if source != S3_SOURCE or detail_type != OBJECT_CREATED:
        return (f"not an S3 '{OBJECT_CREATED}' event (source {source!r}, detail-type {detail_type!r}): "
                f"only uploads to the data bucket start runs")
    if event.get("account") != account:
        return f"the event comes from account {event.get('account')!r}, not this stack's account {account}"
    detail = event.get("detail") if isinstance(event.get("detail"), Mapping) else {}
    bucket = (detail.get("bucket") or {}).get("name") if isinstance(detail.get("bucket"), Mapping) else None
    if bucket != data_bucket:
        return f"the event is for bucket {bucket!r}, not this stack's data bucket {data_bucket}"
    key = (detail.get("object") or {}).get("key") if isinstance(detail.get("object"), Mapping) else None
    if not isinstance(key, str) or not key:
        return "the event names no object (detail.object.key is missing)"
    if not key.startswith(DATASETS_PREFIX):
        return f"the object {_shown(key)!r} is outside {DATASETS_PREFIX}, where uploads start runs"
    return None


def key_problem(key: str) -> str | None:
    """Why the pipeline cannot carry `key` (the decoded S3 key), in plain words, or None."""
    segments = key.split("/")
    if any(segment in (".", "..") for segment in segments):
        return (f"The key {_shown(key)!r} has a '.' or '..' path segment. S3 keeps such keys literally, but "
                f"SageMaker and most tools read them as paths; rename the file without them.")
    if "" in segments[:-1]:  # a trailing "/" (a folder marker) is not data, and not looked at here
        return f"The key {_shown(key)!r} has an empty path segment ('//'); rename the file without it."
    if len(key) > MAX_KEY_CHARS:
        return (f"The key is {len(key)} characters long; the model registry records the key of the data "
                f"a model was trained on in at most {MAX_KEY_CHARS}. Use a shorter folder and file name.")
    refused = sorted({char for char in key if not _recordable(char)})
    if refused:
        shown = ", ".join(repr(char) for char in refused[:10])
        return (f"The key {_shown(key)!r} contains {shown}, which the model registry cannot record. Use "
                f"letters, digits, spaces and _ . : / = + - @ in folder and file names.")
    return None


def unsupported_key_plan(upload: UploadedObject, cause: str) -> UploadPlan:
    """A run named as usual that fails at once with UnsupportedKey and `cause`."""
    model = model_from_key(upload.key)
    execution_input = build_rejection_input(upload=upload, model=model or "", error=UNSUPPORTED_KEY, cause=cause)
    execution_input["model"] = model
    return UploadPlan(START, model, cause, execution_input)


def _recordable(char: str) -> bool:
    # Letters, numbers and separators by Unicode category, as SageMaker's \p{L} \p{N} \p{Z}.
    return unicodedata.category(char)[0] in "LNZ" or char in _KEY_PUNCTUATION


def _shown(key: str) -> str:
    return key if len(key) <= _SHOWN_KEY_CHARS else key[:_SHOWN_KEY_CHARS] + "..."
