"""Nothing is built here: the fixtures live in tests/conftest.py, the builders in tests/factories.py.
These names stay importable for tests written before that move."""

import pytest


@pytest.fixture
def world(world):
    """tests/conftest.py's ``world`` (a module that still imports it from here gets the same one)."""
    return world


@pytest.fixture
def q1(q1):
    return q1
