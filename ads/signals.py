"""Signals of the ads app. Whoever caches (``newsroom.purges``) connects receivers;
the ads app itself invalidates nothing.

- ``ad_stats_flushed(sender=DailyStat)``: buffered impressions and clicks reached
  the daily statistics (sent by ``ads.services.ad_counts_flush`` after its
  transaction), so caps must be checked again.

Changes to slots, advertisers, campaigns and creatives are model signals
(``post_save``/``post_delete``/``m2m_changed``); no extra signal is sent for them.
"""

from django.dispatch import Signal

ad_stats_flushed = Signal()
