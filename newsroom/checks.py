"""System checks for production (``manage.py check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):  # noqa: ARG001
    """Mails, feeds, sitemaps and canonical links need the public address."""
    url = settings.SITE_URL
    parts = urlsplit(url)
    if url == settings.DEVELOPMENT_SITE_URL or parts.scheme not in {"http", "https"}:
        return [
            Error(
                f"NEWSROOM_SITE_URL is not set to the public address (now {url!r}): mails, "
                "feeds, sitemaps and canonical links would point there.",
                hint="Set NEWSROOM_SITE_URL, e.g. https://news.example.de (docs/deployment.md).",
                id="newsroom.E001",
            )
        ]
    if not parts.netloc:
        return [Error(f"NEWSROOM_SITE_URL has no host: {url!r}.", id="newsroom.E001")]
    return []
