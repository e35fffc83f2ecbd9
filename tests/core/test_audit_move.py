"""The audit log moved from the newsroom app to core without losing a row.

Runs the real migrations backwards to the state before the move and forwards
again on the test database: the table, its rows and the permissions given for
audit entries stay where they are.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditEntry

BEFORE_THE_MOVE = [("core", None), ("newsroom", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(
    transaction=True
)  # no serialized_rollback: its flush skips post_migrate and left later transactional tests without content types and permissions
def test_audit_entries_and_their_permissions_survive_the_move_to_core():
    old_apps = _migrate(BEFORE_THE_MOVE)
    old_content_type = old_apps.get_model("contenttypes", "ContentType")
    entry_type = old_content_type.objects.get(model="auditentry")
    assert entry_type.app_label == "newsroom"  # as a database from before the move has it
    group = Group.objects.create(name="Prüfer")
    group.permissions.add(
        Permission.objects.get(content_type_id=entry_type.pk, codename="view_auditentry")
    )
    user_type = old_content_type.objects.get(app_label="auth", model="user")
    old_apps.get_model("newsroom", "AuditEntry").objects.create(
        content_type=user_type, object_id="1", object_repr="vor dem Umzug", action="test"
    )

    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())

    entry = AuditEntry.objects.get(object_repr="vor dem Umzug")
    assert entry.action == "test" and AuditEntry._meta.db_table == "newsroom_auditentry"
    moved_type = ContentType.objects.get_for_model(AuditEntry)
    assert (moved_type.pk, moved_type.app_label) == (entry_type.pk, "core")
    assert group.permissions.filter(codename="view_auditentry", content_type=moved_type).exists()
    assert not ContentType.objects.filter(app_label="newsroom", model="auditentry").exists()
