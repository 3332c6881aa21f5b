"""Small helpers for ``s3://bucket/key`` URIs (the execution input carries paths as URIs)."""

from __future__ import annotations

_SCHEME = "s3://"


def to_s3_uri(bucket: str, key: str) -> str:
    """``s3://<bucket>/<key>``."""
    return f"{_SCHEME}{bucket}/{key}"


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """Split ``s3://bucket/key`` into (bucket, key); the key may be empty or end in '/'."""
    if not uri.startswith(_SCHEME):
        raise ValueError(f"not an S3 URI (must start with s3://): {uri!r}")
    bucket, _, key = uri[len(_SCHEME) :].partition("/")
    if not bucket:
        raise ValueError(f"S3 URI has no bucket: {uri!r}")
    return bucket, key


def join_s3_uri(prefix: str, name: str) -> str:
    """Append ``name`` to a prefix URI, adding the '/' the prefix may lack."""
    return prefix if not name else f"{prefix.rstrip('/')}/{name.lstrip('/')}"
