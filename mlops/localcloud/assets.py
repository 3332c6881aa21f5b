"""Publishes a synthesized stack's file assets (`<Stack>.assets.json`) to the local bootstrap
bucket, as `cdk deploy` (cdk-assets) does.

- `packaging: "zip"`: the directory is zipped deterministically (sorted entries, fixed
  timestamps, file modes kept), so the same source always gives the same bytes.
- `packaging: "file"`: the file is uploaded as is.
- Destination placeholders `${AWS::AccountId}`, `${AWS::Region}`, `${AWS::Partition}` are
  replaced; a missing destination bucket is created (the local "bootstrap"); an object already
  at its key is left alone, as cdk-assets does.
- Exception: an asset referenced *only* as the `Content` of AWS::Lambda::LayerVersion resources
  is not uploaded. A dependencies layer can be 100+ MB, and the embedded cloud runs functions on
  the project's virtualenv, which has the layer's exact pins. It is recorded with status
  `layer-placeholder`, and the provisioner creates those layer versions with a tiny placeholder zip.
- Docker image assets are not published (no Docker); they are listed with status `skipped`.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

UPLOADED, ALREADY_PRESENT, LAYER_PLACEHOLDER, SKIPPED = "uploaded", "already-present", "layer-placeholder", "skipped"


class AssetError(RuntimeError):
    pass


@dataclass(frozen=True)
class Asset:
    asset_id: str
    display_name: str
    source: Path | None
    packaging: str
    bucket: str
    key: str


@dataclass(frozen=True)
class PublishedAsset:
    asset: Asset
    status: str  # uploaded | already-present | layer-placeholder | skipped

    @property
    def location(self) -> tuple[str, str]:
        return self.asset.bucket, self.asset.key


def read_assets(cdk_out: Path, stack_name: str, *, account: str, region: str, partition: str = "aws") -> list[Asset]:
    """The file assets of a stack, one entry per destination, placeholders replaced."""
    manifest_path = Path(cdk_out) / f"{stack_name}.assets.json"
    if not manifest_path.exists():
        return []
    manifest = json.loads(manifest_path.read_text())
    values = {"${AWS::AccountId}": account, "${AWS::Region}": region, "${AWS::Partition}": partition}

    def fill(text: str) -> str:
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        return text

    assets = []
    for asset_id, entry in manifest.get("files", {}).items():
        source = entry.get("source", {})
        if "path" not in source:
            raise AssetError(f"asset {asset_id} ({entry.get('displayName', '')}): only path sources are "
                             "supported, not executable ones")
        for destination in entry.get("destinations", {}).values():
            assets.append(Asset(
                asset_id=asset_id, display_name=entry.get("displayName", asset_id),
                source=Path(cdk_out) / source["path"], packaging=source.get("packaging", "file"),
                bucket=fill(destination["bucketName"]), key=fill(destination["objectKey"]),
            ))
    for asset_id, entry in manifest.get("dockerImages", {}).items():
        assets.append(Asset(asset_id, entry.get("displayName", asset_id), None, "container-image", "", ""))
    return assets


def layer_only_locations(assets: list[Asset], template: dict) -> set[tuple[str, str]]:
    """(bucket, key) of the assets that the template uses only as LayerVersion `Content`."""
    uses: dict[str, set[str]] = {}
    for resource in (template.get("Resources") or {}).values():
        for prop, value in (resource.get("Properties") or {}).items():
            where = "layer" if resource.get("Type") == "AWS::Lambda::LayerVersion" and prop == "Content" else "other"
            for text in _strings(value):
                for asset in assets:
                    if asset.key and asset.key in text:
                        uses.setdefault(asset.key, set()).add(where)
    for text in _strings(template.get("Outputs") or {}):
        for asset in assets:
            if asset.key and asset.key in text:
                uses.setdefault(asset.key, set()).add("other")
    return {(a.bucket, a.key) for a in assets if uses.get(a.key) == {"layer"}}


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def publish(assets: list[Asset], s3, *, region: str, layer_only: set[tuple[str, str]] = frozenset()) -> list[PublishedAsset]:
    published = []
    known_buckets: set[str] = set()
    for asset in assets:
        if asset.packaging == "container-image":
            published.append(PublishedAsset(asset, SKIPPED))
            continue
        if (asset.bucket, asset.key) in layer_only:
            published.append(PublishedAsset(asset, LAYER_PLACEHOLDER))
            continue
        if asset.bucket not in known_buckets:
            ensure_bucket(s3, asset.bucket, region=region)
            known_buckets.add(asset.bucket)
        if _exists(s3, asset.bucket, asset.key):
            published.append(PublishedAsset(asset, ALREADY_PRESENT))
            continue
        s3.put_object(Bucket=asset.bucket, Key=asset.key, Body=package(asset))
        published.append(PublishedAsset(asset, UPLOADED))
    return published


def package(asset: Asset) -> bytes:
    source = asset.source
    if source is None or not source.exists():
        raise AssetError(f"asset {asset.asset_id} ({asset.display_name}): source {source} does not exist")
    if asset.packaging == "zip" and source.is_dir():
        return zip_directory(source)
    if asset.packaging in ("zip", "file") and source.is_file():
        return source.read_bytes()
    raise AssetError(f"asset {asset.asset_id} ({asset.display_name}): cannot package {source} as {asset.packaging!r}")


def zip_directory(directory: Path) -> bytes:
    """The directory's files, zipped with sorted entries and fixed timestamps (1980-01-01)."""
    directory = Path(directory)
    entries = []
    for root, dirs, files in os.walk(directory, followlinks=True):
        dirs.sort()
        for name in files:
            path = Path(root) / name
            entries.append((path.relative_to(directory).as_posix(), path))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, path in sorted(entries):
            info = zipfile.ZipInfo(relative, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (path.stat().st_mode & 0xFFFF) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def ensure_bucket(s3, bucket: str, *, region: str) -> None:
    try:
        s3.head_bucket(Bucket=bucket)
        return
    except ClientError as exc:
        if exc.response["Error"]["Code"] not in ("404", "NoSuchBucket", "NotFound"):
            raise
    request: dict[str, Any] = {"Bucket": bucket}
    if region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**request)


def _exists(s3, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
