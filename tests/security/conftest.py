"""Fixtures for the security tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import launched_chromium

# Transactional tests (the browser check) flush the database; put back what
# migrations created (groups, slots) for the tests after them.
from tests.support.dbstate import migrated_data_restored  # noqa: F401


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """A headless Chromium (Debian's, driven by Playwright) for this module's tests."""
    with launched_chromium() as browser:
        yield browser
