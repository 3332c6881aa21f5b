"""One embedded cloud for the end-to-end tests: synthesized from the real CDK app with a
three-model config, provisioned once per session. Tests upload under their own keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops.localcloud.server import EmbeddedCloud
from mlops.localcloud.synth import synthesize
from tests.e2e.harness import STACK_NAME, Stack

CONFIG = Path(__file__).with_name("three_models.json")
PENGUINS = Path(__file__).resolve().parents[2] / "data" / "penguins.csv"


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    cdk_out = synthesize(CONFIG, tmp_path_factory.mktemp("cdk.out"), context={"poll_seconds": 1})
    cloud = EmbeddedCloud(region="us-east-1", workdir=tmp_path_factory.mktemp("cloud")).start()
    try:
        deployment = cloud.deploy(cdk_out, STACK_NAME)
        yield Stack(cloud, deployment.outputs)
    finally:
        cloud.stop()


@pytest.fixture(scope="session")
def penguins_csv() -> bytes:
    return PENGUINS.read_bytes()
