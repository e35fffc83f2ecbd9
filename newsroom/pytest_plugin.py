"""pytest plugin (loaded with ``-p newsroom.pytest_plugin``): starts the embedded
PostgreSQL before pytest-django reads the settings, unless DATABASE_URL is set."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    from newsroom.embedded_db import ensure_database_url

    ensure_database_url()
    return (yield)
