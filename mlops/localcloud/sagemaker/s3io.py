"""Moving job data between S3 and the job's local /opt/ml tree, the way SageMaker does."""

from __future__ import annotations

import posixpath
import shutil
import tarfile
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from mlops.localcloud.sagemaker.outcome import JobError

AWS_ERRORS = (ClientError, BotoCoreError)


def parse_s3_uri(uri: str) -> tuple[str, str]:
    if not isinstance(uri, str) or not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
        raise JobError(f"ClientError: {uri!r} is not a valid s3:// URI")
    bucket, _, key = uri[5:].partition("/")
    return bucket, key


def join_key(*parts: str) -> str:
    return "/".join(part.strip("/") for part in parts if part.strip("/"))


def inside(base: Path, relative: str) -> Path:
    """base/relative, refusing paths that climb out of base (a key like `a/../../etc`)."""
    target = (base / relative).resolve()
    if target != base.resolve() and base.resolve() not in target.parents:
        raise JobError(f"ClientError: refusing to write {relative!r} outside {base}")
    return target


def download_s3_data(s3, uri: str, dest: Path) -> int:
    """Download an S3Prefix data source into dest; returns the number of files.

    Like SageMaker (and the SDK's local mode): a URI naming one object downloads that object
    by its base name; otherwise every object whose key starts with the prefix lands at its
    key relative to the prefix. Folder marker objects (keys ending in "/") are not data.
    """
    bucket, prefix = parse_s3_uri(uri)
    try:
        if prefix and not prefix.endswith("/") and _object_exists(s3, bucket, prefix):
            download_object(s3, bucket, prefix, inside(dest, posixpath.basename(prefix)))
            return 1
        count = 0
        for key in _keys(s3, bucket, prefix):
            if not key.endswith("/"):
                relative = key[len(prefix):].lstrip("/") or posixpath.basename(key)
                download_object(s3, bucket, key, inside(dest, relative))
                count += 1
        return count
    except AWS_ERRORS as exc:
        raise JobError(f"ClientError: Data download failed from {uri}: {exc}") from exc


def download_object(s3, bucket: str, key: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    with open(dest, "wb") as out:
        shutil.copyfileobj(body, out)


def _object_exists(s3, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError:
        return False  # not an object (or not readable as one): try it as a prefix


def _keys(s3, bucket: str, prefix: str):
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            yield item["Key"]


def sse_args(kms_key_id: str | None) -> dict:
    # The job's KMS key encrypts what SageMaker writes back, as OutputDataConfig.KmsKeyId says.
    return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_id} if kms_key_id else {}


def upload_file(s3, path: Path, uri: str, kms_key_id: str | None = None) -> str:
    bucket, key = parse_s3_uri(uri)
    try:
        with open(path, "rb") as body:
            s3.put_object(Bucket=bucket, Key=key, Body=body, **sse_args(kms_key_id))
    except AWS_ERRORS as exc:
        raise JobError(f"ClientError: Artifact upload failed to {uri}: {exc}") from exc
    return uri


def upload_tree(s3, local_dir: Path, uri: str, kms_key_id: str | None = None) -> list[str]:
    """Every file under local_dir to uri/<relative path> (a ProcessingOutput at end of job)."""
    bucket, prefix = parse_s3_uri(uri)
    files = sorted(p for p in local_dir.rglob("*") if p.is_file())
    return [upload_file(s3, p, f"s3://{bucket}/{join_key(prefix, p.relative_to(local_dir).as_posix())}", kms_key_id)
            for p in files]


def make_tar_gz(src_dir: Path, archive: Path) -> None:
    """The contents of src_dir, with no leading directory (SageMaker's model.tar.gz layout)."""
    with tarfile.open(archive, "w:gz") as tar:
        for child in sorted(src_dir.iterdir()):
            tar.add(child, arcname=child.name)


def extract_tar(archive: Path, dest: Path) -> None:
    # The "data" filter refuses absolute paths, links out of dest and device files.
    with tarfile.open(archive, "r:*") as tar:
        tar.extractall(dest, filter="data")
