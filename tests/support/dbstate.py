"""Put the migrated data back after transactional tests flushed the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


def restore_migrated_data() -> None:
    """Flush (without post_migrate) and load what the migrations created, then move
    every sequence past the loaded ids so later inserts do not collide with them."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if not contents:
            continue
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=connection.alias,
            inhibit_post_migrate=True,
        )
        connection.creation.deserialize_db_from_string(contents)
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def no_style():
    from django.core.management.color import no_style as _no_style

    return _no_style()


@pytest.fixture(scope="package", autouse=True)
def migrated_data_restored(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Package fixture: after the package's tests, the database is as migrated."""
    yield
    with django_db_blocker.unblock():
        restore_migrated_data()
