"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against a
live server on the test PostgreSQL database.

- One Chromium for the whole browser package (starting it costs about a second);
  every test gets fresh browser contexts (own cookies), so actors never share a session.
- ``live_server`` is pytest-django's: a threaded WSGI server in this process, with
  Django's static-files handler (``django.contrib.staticfiles`` is installed) and
  media served from ``MEDIA_ROOT``. Data is made in the test through services and
  factories and committed (``transaction=True``), so the server threads see it.
- Without Chromium every browser test is skipped with a message naming what to install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings as django_settings

# Transactional tests flush the database after each test; after this package the
# migrated data (groups, permissions, ...) is put back for the tests that follow.
from tests.support.dbstate import migrated_data_restored  # noqa: F401
from tests.support.mailcheck import assert_sendable

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--headless",
    # Tests never reach the network: every host name but the live server's fails.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
]
FACTORY_PASSWORD = "correct-horse-battery"  # what tests.factories.UserFactory sets
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
INSTALL_HINT = (
    "Chromium not found, browser tests skipped. Install Debian's Chromium with "
    "`apt-get install chromium` (or set NEWSROOM_CHROMIUM=/path/to/chromium); "
    "never `playwright install`."
)


def chromium_executable() -> str | None:
    """The Chromium binary to drive: $NEWSROOM_CHROMIUM, /usr/bin/chromium or PATH."""
    for candidate in (os.environ.get("NEWSROOM_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot_dir() -> Path:
    path = Path(django_settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def launched_chromium() -> Iterator:
    """A headless Chromium driven by Playwright (skips the test when none is installed).

    Playwright's sync API runs an asyncio event loop in this (the main) thread for as
    long as it is started. Django then sees a "running event loop" and refuses ORM
    calls from the test code with SynchronousOnlyOperation, although nothing runs
    concurrently: the loop only talks to the browser while a Playwright call blocks.
    So DJANGO_ALLOW_ASYNC_UNSAFE is set exactly while Playwright runs, i.e. during
    this package, and restored afterwards so no other test runs with it.
    """
    executable = chromium_executable()
    if executable is None:
        pytest.skip(INSTALL_HINT)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev lock file installs it
        pytest.skip("Playwright is not installed: run `make install`.")

    from django.db import connections

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    # With an event loop running, Django's connection handler (asgiref Local)
    # hands this thread new connection objects. They need the migrated data that
    # serialized rollback restores before each test.
    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents
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


@pytest.fixture(scope="package")
def chromium() -> Iterator:
    """One headless Chromium for all browser tests."""
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def site(live_server, settings, tmp_path) -> str:
    """The live server's base URL; links in mails point to it.

    Mails go to files under a temporary folder (the file-based backend), so a test
    reads exactly what a mail client would get.
    """
    settings.SITE_URL = live_server.url
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "mail")},
        }
    }
    return live_server.url


@pytest.fixture
def mailbox(site, settings) -> Callable[[], list[EmailMessage]]:
    """Returns a function that reads every mail written so far, oldest first, each
    checked as a client would read it (tests/support/mailcheck.py)."""
    folder = Path(settings.MAILERS["default"]["OPTIONS"]["file_path"])
    separator = b"\n" + b"-" * 79 + b"\n"

    def read() -> list[EmailMessage]:
        if not folder.exists():
            return []
        messages = []
        for path in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns):
            for chunk in path.read_bytes().split(separator):
                if chunk.strip():
                    messages.append(assert_sendable(chunk))
        return messages

    return read


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the test item (for screenshots on failure)."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_page(request, chromium, site) -> Iterator[Callable]:
    """``new_page(viewport=PHONE)`` opens a page in a fresh context (own cookies).

    Uncaught JavaScript errors fail the test: the pages' scripts must work under CSP.
    When the test fails, every open page is saved to var/screenshots/failed/.
    """
    contexts = []
    pages = []
    errors: list[str] = []

    # Readers use ordinary browsers; headless Chromium says "HeadlessChrome", which
    # the ad counting rightly skips as a robot.
    major = chromium.version.split(".")[0]
    user_agent = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36"
    )

    def open_page(viewport: dict | None = None):
        context = chromium.new_context(
            viewport=viewport or DESKTOP, locale="de-DE", base_url=site, user_agent=user_agent
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        pages.append(page)
        return page

    yield open_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = screenshot_dir() / "failed"
        folder.mkdir(exist_ok=True)
        for number, page in enumerate(pages):
            if not page.is_closed():
                page.screenshot(path=folder / f"{request.node.name}-{number}.png", full_page=True)
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def page(new_page):
    """A desktop-sized page in its own browser context."""
    return new_page()


def admin_login(page, user, password: str = FACTORY_PASSWORD) -> None:
    """Log in through the admin's login form, as a person would."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def choose_autocomplete(page, field: str, text: str) -> None:
    """Pick ``text`` in the admin's select2 autocomplete for ``field``."""
    page.click(f".field-{field} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")
