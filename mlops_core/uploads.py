"""The uploaded data object, as carried in the execution input's ``data`` field.

Every later step reads exactly this version (``VersionId``), so a model always traces back to
the bytes it was trained on, even if the same key is overwritten meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

# S3's own name for the version of an object in a bucket that never had versioning: GetObject
# accepts VersionId="null" for it, so downstream reads stay uniform.
NULL_VERSION = "null"


@dataclass(frozen=True)
class UploadedObject:
    bucket: str
    key: str
    version_id: str
    etag: str
    size: int | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UploadedObject:
        """Build from the execution input's ``data``; a missing bucket/key is a caller bug."""
        missing = [name for name in ("bucket", "key") if not data.get(name)]
        if missing:
            raise ValueError(f"data is missing {', '.join(missing)}: {dict(data)!r}")
        size = data.get("size")
        return cls(
            bucket=str(data["bucket"]),
            key=str(data["key"]),
            version_id=str(data.get("version_id") or NULL_VERSION),
            etag=str(data.get("etag") or ""),
            size=int(size) if size is not None else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """Plain-words location for messages: ``s3://bucket/key (version v)``."""
        return f"s3://{self.bucket}/{self.key} (version {self.version_id})"
