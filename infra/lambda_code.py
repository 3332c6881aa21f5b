"""Lambda code assets: `lambdas/<name>/*` plus `mlops_core/` copied into one asset root, so
the handler is `handler.lambda_handler` and `import mlops_core` works as in the tests."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import jsii
from aws_cdk import aws_lambda as lambda_

from infra.bundling import NO_DOCKER, REPO_ROOT, copy_shipped

HANDLER = "handler.lambda_handler"


@jsii.implements(cdk.ILocalBundling)
class _HandlerBundler:
    def __init__(self, *, handler_dir: Path, core_dir: Path) -> None:
        self._handler_dir = handler_dir
        self._core_dir = core_dir

    def try_bundle(self, output_dir: str, *_options, **_kw) -> bool:  # jsii passes BundlingOptions
        if not (self._handler_dir / "handler.py").is_file():
            raise FileNotFoundError(f"{self._handler_dir / 'handler.py'} does not exist")
        copy_shipped(self._handler_dir, Path(output_dir))
        copy_shipped(self._core_dir, Path(output_dir) / "mlops_core")
        return True


def handler_code(name: str, *, source_root: Path = REPO_ROOT) -> lambda_.Code:
    """The code asset of `lambdas/<name>`; its asset hash is the hash of the bundled files."""
    handler_dir = source_root / "lambdas" / name
    return lambda_.Code.from_asset(
        str(handler_dir),
        asset_hash_type=cdk.AssetHashType.OUTPUT,
        bundling=cdk.BundlingOptions(
            image=NO_DOCKER,
            local=_HandlerBundler(handler_dir=handler_dir, core_dir=source_root / "mlops_core"),
        ),
    )
