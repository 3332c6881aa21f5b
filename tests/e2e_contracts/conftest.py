"""One embedded cloud for the data-contract tests: the real CDK app synthesized with
contracts.json (`penguins` validated by the Lambda, `penguins-big` by the Processing job
because its size limit is tiny, `penguins-user` with a contract the user supplies,
`penguins-twin` to judge files on the Lambda path against penguins-big's contract),
provisioned once for this package."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import Stack, deployed_stack

CONFIG = Path(__file__).with_name("contracts.json")


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        yield deployed

