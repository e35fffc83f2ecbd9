"""Cache invalidation: any change to ads makes every cached eligible set stale,
and cached reader pages too (they hold the slot containers and the
``<noscript>`` creative). Counting never triggers either."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from ads.selectors import bump_ads_version


def ads_changed(sender, **kwargs) -> None:
    """Bump the ads version and invalidate cached pages (cache writes only, never raises)."""
    bump_ads_version()
    from core.pagecache import invalidate

    invalidate("site")


def connect() -> None:
    from ads.models import Advertiser, Campaign, Creative, Slot

    for model in (Slot, Advertiser, Campaign, Creative):
        post_save.connect(
            ads_changed, sender=model, dispatch_uid=f"ads_changed_save_{model.__name__}"
        )
        post_delete.connect(
            ads_changed, sender=model, dispatch_uid=f"ads_changed_del_{model.__name__}"
        )
    for through in (
        Campaign.slots.through,
        Campaign.target_sections.through,
        Campaign.target_tags.through,
    ):
        m2m_changed.connect(
            ads_changed, sender=through, dispatch_uid=f"ads_changed_m2m_{through.__name__}"
        )
