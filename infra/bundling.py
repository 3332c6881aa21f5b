"""Shared pieces of CDK *local* bundling (no Docker): the repo root, the file filter that keeps
caches and tests out of assets, and a stand-in image for the Docker fallback CDK requires."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import aws_cdk as cdk

REPO_ROOT = Path(__file__).resolve().parents[1]

# CDK insists on an image in BundlingOptions. Every local bundler here either bundles or
# raises, so Docker is never started; the name says so if anyone ever sees it.
NO_DOCKER = cdk.DockerImage.from_registry("local-bundling-only-docker-is-never-used")

EXCLUDED_DIRS = frozenset({"__pycache__", "tests", ".pytest_cache", ".mypy_cache"})
EXCLUDED_SUFFIXES = (".pyc", ".pyo")


def shipped_files(root: Path) -> Iterator[Path]:
    """Files under `root` that belong in an asset, sorted, as paths relative to `root`."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in EXCLUDED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.name.endswith(EXCLUDED_SUFFIXES):
            yield relative


def copy_shipped(source: Path, target: Path) -> None:
    """Copy the shipped files of `source` into `target` (created as needed)."""
    if not source.is_dir():
        raise FileNotFoundError(f"asset source folder {source} does not exist")
    for relative in shipped_files(source):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, destination)
