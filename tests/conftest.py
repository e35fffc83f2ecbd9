"""Fixtures shared by every test module."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
