"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The site's name, absolute base URL and social accounts (no queries, no per-user data)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        # The language editors write in (static pages, untranslated articles): pages in
        # another language mark such text with lang="{{ SITE_LANGUAGE }}".
        "SITE_LANGUAGE": settings.LANGUAGE_CODE,
        "SITE_URL": settings.SITE_URL,
        "TWITTER_SITE": getattr(settings, "TWITTER_SITE", ""),
        "TWITTER_CREATOR": getattr(settings, "TWITTER_CREATOR", ""),
        "FULL_TEXT_FEEDS": getattr(settings, "FULL_TEXT_FEEDS", False),
    }
