"""Connection settings that PostgreSQL itself confirms."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgres_jit_is_off_for_the_apps_connections():
    # Short OLTP queries: JIT compilation cost more than it saved (docs/performance.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
