"""Give the "Moderation" group what the moderation desk needs, nothing of articles.

Creates the group if the articles' roles migration has not (get_or_create, so
either order works). Reversible: removes exactly these permissions again.
"""

from django.db import migrations

MODERATION_PERMISSIONS = {
    "comment": ["view", "change", "moderate", "pin"],
    "commentreport": ["view"],
    "subscription": ["view"],
    "notificationdelivery": ["view"],
    "bannedaddress": ["view", "add", "change", "delete"],
    "bannedip": ["view", "add", "change", "delete"],
    "trustedaddress": ["view", "add", "change", "delete"],
    "moderationsettings": ["view"],
}


def _codenames():
    for model, actions in MODERATION_PERMISSIONS.items():
        for action in actions:
            yield model, f"{action}_{model}"


def _permissions(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    result = []
    for model, codename in _codenames():
        content_type = ContentType.objects.get(app_label="comments", model=model)
        result.append(Permission.objects.get(content_type=content_type, codename=codename))
    return result


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name="Moderation")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Moderation").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_comments_subscriptions_feedback_moderation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
