"""One embedded cloud for the data-contract tests: the real CDK app synthesized with
contracts.json (`penguins` validated by the Lambda, `penguins-big` by the Processing job
because its size limit is tiny, `penguins-user` with a contract the user supplies,
`penguins-twin` to judge files on the Lambda path against penguins-big's contract),
provisioned once for this package."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops.localcloud.server import EmbeddedCloud
from mlops.localcloud.synth import synthesize
from tests.e2e.harness import STACK_NAME, Stack

CONFIG = Path(__file__).with_name("contracts.json")
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
