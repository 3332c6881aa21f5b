"""Fixtures every test folder may use."""

from __future__ import annotations

import pytest

from tests.e2e.harness import PENGUINS


@pytest.fixture(scope="session")
def penguins_csv() -> bytes:
    """The bundled demo dataset (data/penguins.csv), as uploaded bytes."""
    return PENGUINS.read_bytes()
