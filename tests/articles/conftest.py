"""Article helpers (the users of each role are in tests/conftest.py)."""

import pytest

from tests.factories import SectionFactory


@pytest.fixture
def section(db):
    return SectionFactory(name="Politik", slug="politik")
