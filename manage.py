#!/usr/bin/env python
"""Django's command-line utility for newsroom."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")
    from newsroom.embedded_db import MissingDatabaseURL, ensure_database_url

    try:
        ensure_database_url()  # the embedded server in development (DJANGO_DEBUG=1) only
    except MissingDatabaseURL:
        # Production mode without DATABASE_URL: no embedded server. The settings refuse
        # to load with the same message, so every command that needs them stops there.
        pass
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
