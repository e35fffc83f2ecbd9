"""Domain events of live tickers (cache purges hook in, ``newsroom.purges``).

Sent by ``ticker.services`` only after the transaction committed.
"""

from django.dispatch import Signal

# kwargs: article_id, action ("started", "entry_added", "entry_corrected",
# "entry_published", "entry_removed"). The ticker page, its update endpoint and every
# front (LIVE badge, latest entry in teasers) may show something else now.
ticker_changed = Signal()

# kwargs: none. The breaking-news banner was set or cleared: every page shows it.
breaking_news_changed = Signal()
