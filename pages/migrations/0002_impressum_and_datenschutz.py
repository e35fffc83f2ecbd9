"""Create the two pages every German site must link (Impressum, Datenschutz).

They start with a short note for the operator and are edited in the admin
("Seiten"). Reversible: removes them again only if still unchanged.
"""

from django.db import migrations

PAGES = [
    {
        "slug": "impressum",
        "title": "Impressum",
        "footer_order": 10,
        "body": (
            "<p>Angaben gemäß § 5 DDG und § 18 MStV: Name und Anschrift des Verlags, "
            "Vertretungsberechtigte, Kontakt (E-Mail, Telefon), Registereintrag und "
            "Umsatzsteuer-ID sowie die für den Inhalt verantwortliche Person.</p>"
            "<p>Die Redaktion ergänzt diese Angaben in der Verwaltung unter „Seiten“.</p>"
        ),
    },
    {
        "slug": "datenschutz",
        "title": "Datenschutz",
        "footer_order": 20,
        "body": (
            "<p>Informationen nach Art. 13 DSGVO: Verantwortlicher, Zwecke und "
            "Rechtsgrundlagen der Verarbeitung (Kommentare, Benachrichtigungen per "
            "E-Mail, Server-Protokolle), Speicherdauer und Ihre Rechte.</p>"
            "<p>Die Redaktion ergänzt diese Angaben in der Verwaltung unter „Seiten“.</p>"
        ),
    },
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for data in PAGES:
        Page.objects.get_or_create(slug=data["slug"], defaults=data)


def remove_unchanged_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for data in PAGES:
        Page.objects.filter(slug=data["slug"], body=data["body"]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_static_pages")]

    operations = [migrations.RunPython(create_pages, remove_unchanged_pages)]
