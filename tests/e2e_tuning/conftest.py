"""One embedded cloud for the tuning end-to-end tests: the real CDK app synthesized with a
config whose models tune (and one whose every trial fails, one with a strategy the embedded
cloud refuses), provisioned once for this package."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import Stack, deployed_stack

CONFIG = Path(__file__).with_name("tuning_models.json")
STACK_NAME = "MlopsTuneE2E"


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        yield deployed

