import sys
from typing import Any

from django.apps import AppConfig
from django.core.management.base import OutputWrapper
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_migrate(sender, apps=None, using="default", verbosity=1, **kwargs):
    """Give the role groups the permissions of apps whose models just arrived.

    Also takes away permissions given to the groups by hand (the table in
    ``newsroom/roles.py`` is the source of truth) and says so on stdout.
    """
    from newsroom.roles import ROLE_PERMISSIONS, sync_roles

    labels = {entry.split(".", 1)[0] for perms in ROLE_PERMISSIONS.values() for entry in perms}
    if sender.label in labels and apps is not None:
        try:
            apps.get_model("auth", "Group")
        except LookupError:
            return
        sync_roles(
            apps=apps, verbosity=verbosity, stdout=kwargs.get("stdout") or OutputWrapper(sys.stdout)
        )


def _site_name() -> str:
    from django.conf import settings

    return str(settings.SITE_NAME)


def _brand_the_admin() -> None:
    """The admin's header and window title name the publication (NEWSROOM_SITE_NAME),
    not "Django administration"; read on every page, so a changed setting shows."""
    from django.contrib import admin
    from django.utils.functional import lazy

    admin.site.site_header = lazy(_site_name, str)()
    admin.site.site_title = lazy(_site_name, str)()
    # django-otp's device admins write their search hint in English only.
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("otp_totp", "otp_static"):
            type(model_admin).search_help_text = _("Suche nach dem Benutzernamen")


def _count_every_admin_error() -> None:
    """The admin's "Please correct the error(s) below" counts messages, not fields.

    Django's ``AdminErrorList`` holds one entry per field with errors, so a form with
    two problems of the whole form (two date rules broken, two workflow checks failed)
    said "den unten aufgeführten Fehler" in the singular. Every change form of every
    admin is built with ``helpers.AdminErrorList``; this subclass holds each message.
    """
    from django.contrib.admin import helpers

    if getattr(helpers.AdminErrorList, "counts_messages", False):
        return

    class EveryMessageErrorList(helpers.AdminErrorList):
        counts_messages = True

        def __init__(self, form, inline_formsets):
            super().__init__(form, inline_formsets)
            per_field: list[Any] = list(self)
            messages = [message for errors in per_field for message in errors]
            self.clear()
            self.extend(messages)

    helpers.AdminErrorList = EveryMessageErrorList  # type: ignore[misc]


# Third-party apps and models in the admin's index and sidebar, named in German (the
# English comes from our catalogue). Their own names are raw labels ("Taggit",
# "Otp_Totp") or English only. Set on the app configs and on ``_meta`` at start-up:
# the migration state reads a model's options from ``_meta.original_attrs``, so no
# migration of the packages changes.
THIRD_PARTY_APP_NAMES = {
    "taggit": _("Schlagwörter"),
    "axes": _("Anmeldesperren"),
    "otp_totp": _("Zwei-Faktor-Anmeldung: Authenticator-Apps"),
    "otp_static": _("Zwei-Faktor-Anmeldung: Notfallcodes"),
    "django_tasks_database": _("Hintergrundaufgaben"),
}
THIRD_PARTY_MODEL_NAMES = {
    "taggit.Tag": (_("Schlagwort"), _("Schlagwörter")),
    "otp_totp.TOTPDevice": (_("Authenticator-App"), _("Authenticator-Apps")),
    "otp_static.StaticDevice": (_("Notfallcode-Satz"), _("Notfallcode-Sätze")),
    "django_tasks_database.DBTaskResult": (
        _("Ergebnis einer Hintergrundaufgabe"),
        _("Ergebnisse der Hintergrundaufgaben"),
    ),
}


def _name_third_party_apps() -> None:
    from django.apps import apps

    for label, name in THIRD_PARTY_APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for model_label, (singular, plural) in THIRD_PARTY_MODEL_NAMES.items():
        app_label, model_name = model_label.split(".")
        if app_label in apps.app_configs:
            opts = apps.get_model(app_label, model_name)._meta
            opts.verbose_name, opts.verbose_name_plural = singular, plural


class NewsroomConfig(AppConfig):
    """The composition root: settings, URLs, roles and cross-app wiring. No app imports it."""

    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from newsroom import checks, purges  # noqa: F401 - checks register themselves

        purges.connect()
        _name_third_party_apps()
        _brand_the_admin()
        _count_every_admin_error()
        # The roles table spans the apps (articles, comments, ads): it lives here.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="newsroom_sync_roles")
