"""Nothing is built here: the fixtures live in tests/conftest.py, the builders in tests/factories.py.
These names stay importable for tests written before that move; new tests import tests.factories."""

import pytest

from tests.factories import best_answers, fill, make_assessment, shipped_instrument  # noqa: F401


@pytest.fixture
def zi(zi):
    """tests/conftest.py's ``zi`` (a module that still imports it from here gets the same one)."""
    return zi
