"""AuditEntry now lives in core (``core.0001_auditentry_moved_from_newsroom``).

State only: the table ``newsroom_auditentry`` and its rows stay where they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("core", "0001_auditentry_moved_from_newsroom"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
