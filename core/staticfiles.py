"""Static files: django-ckeditor's bundle without CKEditor's samples, manual test pages
and build files.

django-ckeditor ships CKEditor 4's whole distribution, including HTML test pages
(``plugins/exportpdf/tests/manual/*.html``) and plugin pages nobody here uses (preview,
the WebSpellChecker frames). Served from ``/static/`` they are pages of our origin
that run CKEditor code without our CSP. ``AppDirectoriesFinder`` below neither lists
them (so ``collectstatic`` never copies them to ``STATIC_ROOT``, where WhiteNoise serves
from in production) nor finds them (so development and tests, where WhiteNoise and
``runserver`` serve straight from the finders, answer 404 too).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from typing import Any

from django.contrib.staticfiles import finders
from django.core.files.storage import Storage

# fnmatch's "*" also matches "/": "ckeditor/*.html" is every HTML file below ckeditor/.
EXCLUDED_PATTERNS = (
    "ckeditor/*.html",
    "ckeditor/*/tests/*",
    "ckeditor/*/samples/*",
    "ckeditor/ckeditor/*.md",
    "ckeditor/ckeditor/bender-runner.config.json",
    "ckeditor/ckeditor/build-config.js",
)


def is_excluded(path: str) -> bool:
    """True for a static path (``ckeditor/ckeditor/…``) that is neither collected nor served."""
    normalised = path.replace("\\", "/").lstrip("/")
    return any(fnmatchcase(normalised, pattern) for pattern in EXCLUDED_PATTERNS)


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder for apps' ``static/`` folders, without the excluded paths."""

    def find(self, path: str, find_all: bool = False) -> Any:
        if is_excluded(path):
            return []  # what Django's finders return for "not here", with or without find_all
        return super().find(path, find_all=find_all)  # type: ignore[call-overload]

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Storage]]:
        for path, storage in super().list(ignore_patterns):
            if not is_excluded(path):
                yield path, storage
