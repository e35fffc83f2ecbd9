# The staff member's own settings (admin and mail language), new in issue #12.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0001_auditentry_moved_from_newsroom"),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffPreference",
            fields=[
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="staff_preference", serialize=False, to=settings.AUTH_USER_MODEL, verbose_name="Benutzer")),
                ("language", models.CharField(blank=True, choices=[("", "Wie im Browser eingestellt"), ("de", "Deutsch"), ("en", "Englisch")], default="", help_text="Sprache der Verwaltung und der Mails an Sie. „Wie im Browser“: die Sprache, die Ihr Browser zuerst nennt (Deutsch, wenn er keine unterstützte nennt).", max_length=8, verbose_name="Sprache der Redaktionsoberfläche")),
            ],
            options={
                "verbose_name": "Persönliche Einstellung",
                "verbose_name_plural": "Persönliche Einstellungen",
            },
        ),
    ]
