"""The SageMaker job source archive `sourcedir.tar.gz`: every file of `sagemaker_jobs/` plus
`mlops_core/`, built by CDK local bundling with `BundlingOutput.ARCHIVED`.

The archive is deterministic (sorted entries, fixed mtimes, owners and modes, gzip header
without name or time), so its asset hash only changes when a shipped file does.

Note: CDK names the S3 object `<asset hash>.gz` (it keeps only the last extension), not
`sourcedir.tar.gz`; SageMaker does not care (the training toolkit untars whatever it gets) and
the evaluation entrypoint extracts `*.gz` for the same reason.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import aws_cdk as cdk
import jsii
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from infra.bundling import NO_DOCKER, REPO_ROOT, shipped_files

ARCHIVE_NAME = "sourcedir.tar.gz"
FIXED_MTIME = 315532800  # 1980-01-01, the zip epoch: any constant would do


def write_archive(archive: Path, roots: dict[str, Path]) -> None:
    """Write a reproducible tar.gz with the shipped files of each root under its prefix
    ("" = archive root). The archive root gets no `__init__.py`: sagemaker_jobs/ is a package
    only so tests can import it; in the container the scripts run as `python train.py`."""
    members: list[tuple[str, Path]] = []
    for prefix, root in roots.items():
        if not root.is_dir():
            raise FileNotFoundError(f"job code folder {root} does not exist")
        for rel in shipped_files(root):
            name = (f"{prefix}/" if prefix else "") + rel.as_posix()
            if name != "__init__.py":
                members.append((name, root / rel))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, path in sorted(members):
            info = tarfile.TarInfo(name)
            data = path.read_bytes()
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    with archive.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(buffer.getvalue())


@jsii.implements(cdk.ILocalBundling)
class _ArchiveBundler:
    def __init__(self, *, roots: dict[str, Path]) -> None:
        self._roots = roots

    def try_bundle(self, output_dir: str, *_options, **_kw) -> bool:  # jsii passes BundlingOptions
        write_archive(Path(output_dir) / ARCHIVE_NAME, self._roots)
        return True


class JobCode(Construct):
    """`asset`: the S3 asset; `s3_url`: its `s3://bucket/key` URL (a token)."""

    def __init__(self, scope: Construct, construct_id: str, *, source_root: Path = REPO_ROOT) -> None:
        super().__init__(scope, construct_id)
        roots = {"": source_root / "sagemaker_jobs", "mlops_core": source_root / "mlops_core"}
        self.asset = s3_assets.Asset(
            self, "SourceDir",
            path=str(roots[""]),
            asset_hash_type=cdk.AssetHashType.OUTPUT,
            bundling=cdk.BundlingOptions(
                image=NO_DOCKER,
                output_type=cdk.BundlingOutput.ARCHIVED,
                local=_ArchiveBundler(roots=roots),
            ),
        )
        self.s3_url = self.asset.s3_object_url
