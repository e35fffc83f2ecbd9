"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from newsroom.embedded_db import ensure_database_url

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")
# Production (DJANGO_DEBUG off) without DATABASE_URL stops here with the fix in the message;
# the embedded PostgreSQL starts in development only.
ensure_database_url()

application = get_asgi_application()
