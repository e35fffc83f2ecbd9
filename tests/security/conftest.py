"""Fixtures for the security tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Transactional tests (the browser check) flush the database; put back what
# migrations created (groups, slots) for the tests after them.
from tests.browser.conftest import (
    CHROMIUM_ARGS,
    INSTALL_HINT,
    chromium_executable,
)
from tests.support.dbstate import migrated_data_restored  # noqa: F401


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """A headless Chromium (Debian's, driven by Playwright) for this module's tests.

    See tests/browser/conftest.py for why DJANGO_ALLOW_ASYNC_UNSAFE is set exactly
    while Playwright runs.
    """
    executable = chromium_executable()
    if executable is None:
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
