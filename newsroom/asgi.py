"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from newsroom.embedded_db import ensure_database_url

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")
ensure_database_url()

application = get_asgi_application()
