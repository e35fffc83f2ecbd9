from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Cache purges for what this app changes (comment sections, feedback points,
    the cached settings row) are wired in ``newsroom.purges``."""

    name = "comments"
    verbose_name = _("Kommentare")
