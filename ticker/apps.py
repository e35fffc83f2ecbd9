from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TickerConfig(AppConfig):
    """Live tickers: articles that grow by short, timestamped entries (issue 20)."""

    name = "ticker"
    verbose_name = _("Liveticker")
