"""The Lambda layer: the same pins as the lock file and the venv, built for the Lambda
platform, small enough for Lambda."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from infra.lambda_layer import MAX_LAYER_BYTES, REQUIREMENTS

REPO_ROOT = Path(__file__).resolve().parents[2]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"{path.name}: '{line}' is not pinned with =="
            pins[re.sub(r"[-_.]+", "-", name).lower()] = pinned.strip()
    return pins


def test_every_layer_pin_equals_the_lock_and_the_venv():
    layer, lock = _pins(REQUIREMENTS), _pins(REPO_ROOT / "requirements.lock.txt")
    assert {"aws-lambda-powertools", "aws-xray-sdk", "pandas", "numpy"} <= set(layer)
    for name, pinned in layer.items():
        assert lock.get(name) == pinned, f"{name}: layer {pinned}, lock {lock.get(name)}"
        assert version(name) == pinned, f"{name}: layer {pinned}, installed {version(name)}"


def test_the_layer_leaves_out_the_runtime_sdk_and_scikit_learn():
    assert not {"boto3", "botocore", "s3transfer", "scikit-learn"} & set(_pins(REQUIREMENTS))


def test_the_built_layer_holds_lambda_platform_packages_without_tests(synthesized):
    site = synthesized.asset_dir(synthesized.resource("AWS::Lambda::LayerVersion", "DependenciesLayer")) / "python"
    for package in ("aws_lambda_powertools", "aws_xray_sdk", "pandas", "numpy", "dateutil", "wrapt"):
        assert (site / package).is_dir(), package
    assert list(site.glob("numpy/_core/_multiarray_umath.cpython-313-x86_64-linux-gnu.so"))
    assert not (site / "botocore").exists() and not (site / "bin").exists()
    assert not list(site.rglob("tests")) and not list(site.rglob("__pycache__"))
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    assert size < MAX_LAYER_BYTES


def test_the_build_cache_is_keyed_by_pins_and_runtime():
    from infra.lambda_layer import cache_key

    assert cache_key("3.13") == cache_key("3.13")
    assert cache_key("3.13") != cache_key("3.12")


def test_the_build_cache_key_does_not_depend_on_where_the_checkout_is(tmp_path, monkeypatch):
    """The key is the layer's asset hash: a clone elsewhere must synthesize the same template."""
    from infra import lambda_layer

    here = lambda_layer.cache_key("3.13")
    elsewhere = tmp_path / "clone" / "infra" / REQUIREMENTS.name
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_bytes(REQUIREMENTS.read_bytes())
    monkeypatch.setattr(lambda_layer, "REQUIREMENTS", elsewhere)
    assert lambda_layer.cache_key("3.13") == here
    elsewhere.write_bytes(REQUIREMENTS.read_bytes() + b"\nsix==1.16.0\n")
    assert lambda_layer.cache_key("3.13") != here
