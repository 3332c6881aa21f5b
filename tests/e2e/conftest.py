"""One embedded cloud for the end-to-end tests: synthesized from the real CDK app with a
three-model config, provisioned once per session. Tests upload under their own keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import Stack, deployed_stack

CONFIG = Path(__file__).with_name("three_models.json")


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        yield deployed

