"""Test settings: the base settings with fast, isolated backends."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-" + "x" * 60)

from newsroom.settings.base import *  # noqa: E402,F403
from newsroom.settings.base import VAR_DIR  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Both aliases share one LocMemCache store (same LOCATION): cache.clear() clears both.
CACHES = {
    alias: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom-tests",
    }
    for alias in ("default", "counters")
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
PAGE_CACHE_ENABLED = False  # enabled explicitly by the page-cache tests
# No background autosave/heartbeat requests from open admin pages: a request still in
# flight when a browser test ends would race the database flush. The desk journeys
# (tests/browser/test_desk_journeys.py) switch them on.
ADMIN_AUTOSAVE_SECONDS = 0
ADMIN_PRESENCE_SECONDS = 0
AXES_ENABLED = False  # enabled explicitly by the lock-out tests (client.login has no request)
