"""Settings of the floor project (see the package docstring). Not a newsroom setting module."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise RuntimeError("The floor project needs DJANGO_SECRET_KEY (the bench sets a random one).")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "tests.benchmarks.floor.urls"
WSGI_APPLICATION = "tests.benchmarks.floor.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"context_processors": []},
    }
]
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
# The same answer size as the article page of the same run (set by tests.benchmarks.run).
FLOOR_PAGE_BYTES = int(os.environ.get("FLOOR_PAGE_BYTES", "60000"))
