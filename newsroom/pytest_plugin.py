"""pytest plugin (loaded with ``-p newsroom.pytest_plugin``): starts the embedded
PostgreSQL before pytest-django reads the settings, unless DATABASE_URL is set
(the tests run with DJANGO_DEBUG off, so they ask for it explicitly)."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    from newsroom.embedded_db import ensure_database_url

    ensure_database_url(development=True)
    return (yield)


# Fixtures that start a browser or a real server. A test that uses one (directly or
# through another fixture) must carry the marker that `make test-fast` deselects, or the
# fast loop silently becomes the slow one (CONTRIBUTING.md, "Test").
BROWSER_FIXTURES = {"chromium"}
SERVER_FIXTURES = {"live_server", "redis_url", "redis_cache", "two_servers", "db_proxy"}


def pytest_collection_modifyitems(config, items):
    unmarked = []
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES and item.get_closest_marker("browser") is None:
            unmarked.append(f"{item.nodeid}: uses a browser, mark it @pytest.mark.browser")
        elif (
            used & SERVER_FIXTURES
            and item.get_closest_marker("slow") is None
            and item.get_closest_marker("browser") is None
        ):
            unmarked.append(f"{item.nodeid}: starts a real server, mark it @pytest.mark.slow")
    if unmarked:
        raise pytest.UsageError("Unmarked browser/server tests:\n" + "\n".join(unmarked))
