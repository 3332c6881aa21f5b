"""One embedded cloud for the abuse and bad-input tests: the real CDK app with one model
(uploads above 200 kB refused), every AWS call checked against the deployed roles.

A good upload starts first and runs while the abuse happens; test_undisturbed.py (the last
module) checks it succeeded and that nothing else ran: no job, no model package for any of
the bad requests."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.harness import Stack, deployed_stack
from tests.e2e_security.support import start_upload

CONFIG = Path(__file__).with_name("security.json")
GOOD_KEY = "datasets/penguins/penguins.csv"


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Stack:
    with deployed_stack(CONFIG, tmp_path_factory, iam_check=True) as deployed:
        yield deployed


@pytest.fixture(scope="package")
def good_run(stack, penguins_csv) -> str:
    """The execution ARN of a good upload, started before any abuse and left running."""
    arn = start_upload(stack, GOOD_KEY, penguins_csv)
    deadline = time.monotonic() + 60
    while True:  # started: the tests compare the runs before and after each piece of abuse
        try:
            stack.sfn.describe_execution(executionArn=arn)
            return arn
        except stack.sfn.exceptions.ExecutionDoesNotExist:
            assert time.monotonic() < deadline, "the good upload started no run"
            time.sleep(0.2)
