"""System checks for production (``manage.py check --deploy``)."""

from __future__ import annotations

from pathlib import Path
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


@register(Tags.translation, deploy=True)
def check_compiled_catalogues(app_configs, **kwargs):  # noqa: ARG001
    """Every catalogue in LOCALE_PATHS is compiled and not older than its source.

    Gettext reads only the compiled ``.mo`` files, which are not in the
    repository: without them every English page and the German admin's
    JavaScript silently show their msgids instead.
    """
    errors = []
    for locale_path in settings.LOCALE_PATHS:
        for source in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
            compiled = source.with_suffix(".mo")
            if compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime:
                continue
            state = "is older than" if compiled.exists() else "is missing for"
            errors.append(
                Error(
                    f"The compiled catalogue {compiled.name} {state} {source}: those "
                    "pages would show untranslated text.",
                    hint="Compile the catalogues: make messages, or pybabel compile "
                    "--domain django --directory locale and the same with --domain djangojs "
                    "(docs/deployment.md).",
                    id="newsroom.E002",
                )
            )
    return errors


@register()
def check_publish_blocking_checks(app_configs, **kwargs):  # noqa: ARG001
    """PUBLISH_BLOCKING_CHECKS names only checks that exist (a typo would block nothing)."""
    from articles.publish_checks import CHECKS

    unknown = sorted(set(getattr(settings, "PUBLISH_BLOCKING_CHECKS", ())) - set(CHECKS))
    if not unknown:
        return []
    return [
        Error(
            f"PUBLISH_BLOCKING_CHECKS names unknown checks: {', '.join(unknown)}.",
            hint=f"Known checks: {', '.join(CHECKS)}.",
            id="newsroom.E020",
        )
    ]
