from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TickerConfig(AppConfig):
    """Live tickers: articles that grow by short, timestamped entries (issue 20)."""

    name = "ticker"
    verbose_name = _("Liveticker")

    def ready(self) -> None:
        from articles.extensions import ARTICLE_ADMIN_INLINES
        from ticker.admin import TickerInline

        # The article form of a ticker links to its entry desk (additive: an inline).
        if TickerInline not in ARTICLE_ADMIN_INLINES:
            ARTICLE_ADMIN_INLINES.append(TickerInline)
