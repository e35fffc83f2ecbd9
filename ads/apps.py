from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    """Cache purges when ads change (the ads version, reader pages) are wired in
    ``newsroom.purges``."""

    name = "ads"
    verbose_name = _("Anzeigen")
