"""Shared test fixtures: a small frozen factor library and inline-inventory helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from lca.factors.library import read_library

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: For tests that read the public datasets beside the project (a clone elsewhere skips them).
needs_shared_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason="../shared/data not present"
)


@pytest.fixture(scope="session")
def fixture_library():
    """The frozen test factor library (tests/fixtures/factors), never the shipped one."""
    return read_library(FIXTURES / "factors")


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*.json from the current results.",
    )
