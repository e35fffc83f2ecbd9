"""AuditEntry moves from the newsroom app to core, keeping its table and rows.

State only: the model keeps ``db_table="newsroom_auditentry"`` and its index
name, so no table, column or index changes. The content type row is relabelled
(newsroom -> core), so permissions given for audit entries stay given.
``newsroom.0002_auditentry_moved_to_core`` removes the old state afterwards.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_type.objects.using(db).filter(app_label="core", model="auditentry").exists():
        content_type.objects.using(db).filter(app_label="newsroom", model="auditentry").update(
            app_label="core"
        )


def unrelabel_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_type.objects.using(db).filter(app_label="newsroom", model="auditentry").exists():
        content_type.objects.using(db).filter(app_label="core", model="auditentry").update(
            app_label="newsroom"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("newsroom", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="Zeitpunkt"
                            ),
                        ),
                        ("object_id", models.CharField(db_index=True, max_length=64)),
                        ("object_repr", models.CharField(max_length=255, verbose_name="Objekt")),
                        (
                            "action",
                            models.CharField(db_index=True, max_length=64, verbose_name="Aktion"),
                        ),
                        (
                            "from_state",
                            models.CharField(blank=True, max_length=32, verbose_name="Vorher"),
                        ),
                        (
                            "to_state",
                            models.CharField(blank=True, max_length=32, verbose_name="Nachher"),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="Notiz")),
                        (
                            "data",
                            models.JSONField(blank=True, default=dict, verbose_name="Daten"),
                        ),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="Benutzer",
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Protokolleintrag",
                        "verbose_name_plural": "Protokoll",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "newsroom_auditentry",
                        "indexes": [
                            models.Index(
                                fields=["content_type", "object_id", "-created_at"],
                                name="newsroom_au_content_4ce745_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, unrelabel_content_type),
    ]
