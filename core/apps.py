from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses (audit log, caching, rate limits, sanitiser, ...).

    Imports no other app of this project; apps plug in through registration
    hooks (``core.pagecache.register_expiry_source``,
    ``core.views.register_navigation_source``) from their ``ready()``.
    """

    name = "core"
    verbose_name = _("Grundfunktionen")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from core.pagecache import forget_render_fingerprint

        # Only tests change settings at run time; a deploy starts new processes.
        setting_changed.connect(forget_render_fingerprint, dispatch_uid="render-fingerprint")
