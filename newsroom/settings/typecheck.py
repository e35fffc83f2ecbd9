"""Settings for mypy's django-stubs plugin (``make typecheck``): the test settings with a
database URL that is never connected to.

The plugin imports the settings and the app registry to learn the models; it opens no
connection, so type checking needs neither the embedded PostgreSQL nor a ``DATABASE_URL``.
"""

import os

# Port 9 (discard) on the loopback: a placeholder that no check ever connects to.
os.environ.setdefault("DATABASE_URL", "postgres://typecheck@127.0.0.1:9/typecheck")

from newsroom.settings.test import *  # noqa: E402,F403
