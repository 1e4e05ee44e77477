"""The one cast of the discovery tests: `tests.cast.build_cast`, built afresh for each test."""

from __future__ import annotations

import pytest

from tests.cast import Cast, build_cast


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()
