"""Least-privilege permissions for ads: the "Anzeigen" group manages ads and
sees reports; "Chef vom Dienst" (editors) may view which slots exist.

Groups are created if missing (the articles roles migration may create them
too; both use get_or_create). Reversible: removes exactly these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AD_MANAGER = "Anzeigen"
EDITOR = "Chef vom Dienst"
MANAGED_MODELS = ["slot", "advertiser", "campaign", "creative"]


def _ad_manager_codenames():
    codenames = [f"{action}_{model}" for model in MANAGED_MODELS for action in ("add", "change", "delete", "view")]
    return codenames + ["view_dailystat", "view_report"]


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return list(Permission.objects.filter(content_type__app_label="ads", codename__in=codenames))


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    app_config = apps.get_app_config("ads")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    ad_manager, _ = Group.objects.get_or_create(name=AD_MANAGER)
    ad_manager.permissions.add(*_permissions(apps, _ad_manager_codenames()))
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*_permissions(apps, ["view_slot"]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=AD_MANAGER):
        group.permissions.remove(*_permissions(apps, _ad_manager_codenames()))
    for group in Group.objects.filter(name=EDITOR):
        group.permissions.remove(*_permissions(apps, ["view_slot"]))


class Migration(migrations.Migration):
    dependencies = [
        ("ads", "0001_slots_advertisers_campaigns_creatives_daily_stats"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
