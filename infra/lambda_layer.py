"""ONE Lambda layer with the functions' third-party packages, built at synth by pip for the
Lambda platform through CDK *local* bundling (no Docker).

The build is cached in `.build/lambda-layer/<key>/` where the key hashes the requirements,
the runtime and the pip arguments, so only the first synth downloads wheels; later synths
(and offline ones) copy (hard-link where possible) the cached tree. The asset hash is the same
key, so the layer's asset id changes only when the pins or the runtime do.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.bundling import NO_DOCKER, REPO_ROOT

REQUIREMENTS = Path(__file__).with_name("lambda_layer_requirements.txt")
CACHE_ROOT = REPO_ROOT / ".build" / "lambda-layer"
# Lambda: function code plus all layers, unzipped, at most 250 MB; leave room for the code.
MAX_LAYER_BYTES = 240 * 1024 * 1024
# Bump when the build steps below change, so old caches are not reused.
BUILD_VERSION = "1"
# Folders no handler imports at run time.
STRIPPED_DIRS = frozenset({"tests", "__pycache__"})


def pip_arguments(python_version: str, target: Path) -> list[str]:
    return [
        "install", "--quiet", "--disable-pip-version-check", "--no-input", "--no-compile",
        "--no-deps",  # the requirements file lists the full closure, pinned
        "--platform", "manylinux_2_28_x86_64", "--platform", "manylinux2014_x86_64",
        "--implementation", "cp", "--python-version", python_version,
        "--only-binary=:all:", "--target", str(target), "-r", str(REQUIREMENTS),
    ]


def cache_key(python_version: str) -> str:
    digest = hashlib.sha256()
    digest.update(REQUIREMENTS.read_bytes())
    # The requirements file by name, not path: the key is the layer's asset hash, and two
    # checkouts in different folders must synthesize the same template.
    arguments = " ".join(pip_arguments(python_version, Path("<target>"))).replace(str(REQUIREMENTS), REQUIREMENTS.name)
    digest.update(arguments.encode())
    digest.update(f"python{python_version}|build{BUILD_VERSION}".encode())
    return digest.hexdigest()


@jsii.implements(cdk.ILocalBundling)
class _PipLayerBundler:
    def __init__(self, *, python_version: str, key: str) -> None:
        self._python_version = python_version
        self._cached = CACHE_ROOT / key[:24]

    def try_bundle(self, output_dir: str, *_options, **_kw) -> bool:  # jsii passes BundlingOptions
        if not (self._cached / "python").is_dir():
            self._build()
        shutil.copytree(self._cached / "python", Path(output_dir) / "python", copy_function=_link_or_copy,
                        dirs_exist_ok=True)
        return True

    def _build(self) -> None:
        CACHE_ROOT.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="build-", dir=CACHE_ROOT))
        try:
            site = work / "python"
            result = subprocess.run([sys.executable, "-m", "pip", *pip_arguments(self._python_version, site)],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"building the Lambda layer failed (pip needs the package index the first "
                                   f"time; later builds use {CACHE_ROOT}):\n{result.stderr.strip()}")
            _strip(site)
            size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
            if size > MAX_LAYER_BYTES:
                raise RuntimeError(f"the Lambda layer is {size // 2**20} MB unzipped; the limit kept here is "
                                   f"{MAX_LAYER_BYTES // 2**20} MB (Lambda allows 250 MB with the code)")
            try:
                work.rename(self._cached)  # atomic: a concurrent synth may have won the race
            except OSError:
                if not (self._cached / "python").is_dir():
                    raise
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _strip(site: Path) -> None:
    shutil.rmtree(site / "bin", ignore_errors=True)  # console scripts: not importable
    for path in sorted(site.rglob("*"), reverse=True):
        if path.is_dir() and path.name in STRIPPED_DIRS:
            shutil.rmtree(path)
        elif path.suffix in (".pyc", ".pyo"):
            path.unlink()


def _link_or_copy(source: str, destination: str) -> str:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)
    return destination


class DependenciesLayer(Construct):
    """`layer`: the LayerVersion; `python_version`: the ABI its wheels were chosen for."""

    def __init__(self, scope: Construct, construct_id: str, *, runtime: lambda_.Runtime) -> None:
        super().__init__(scope, construct_id)
        self.python_version = runtime.name.removeprefix("python")
        key = cache_key(self.python_version)
        code = lambda_.Code.from_asset(
            str(REQUIREMENTS.parent),
            asset_hash_type=cdk.AssetHashType.CUSTOM,
            asset_hash=key,
            bundling=cdk.BundlingOptions(image=NO_DOCKER, local=_PipLayerBundler(
                python_version=self.python_version, key=key)),
        )
        self.layer = lambda_.LayerVersion(
            self, "Layer",
            code=code,
            compatible_runtimes=[runtime],
            compatible_architectures=[lambda_.Architecture.X86_64],
            description="Third-party packages of the pipeline functions (pins: infra/lambda_layer_requirements.txt)",
        )
