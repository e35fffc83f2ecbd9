"""Every write to live tickers and the breaking-news banner goes through these functions.

Each checks the actor's permission (``PermissionDenied``), runs in one transaction,
writes an audit entry and sends its signal on commit (``ticker_changed`` /
``breaking_news_changed``; ``newsroom.purges`` purges the cached pages then). Entry
texts are sanitised with the editorial allow-list before they are stored.

Who may do what (``newsroom.roles``): editors (``publish_tickerentry``) post entries
that appear at once, correct and remove any entry and set the banner; journalists
add entries that wait for an editor's approval and may correct or withdraw their own
entries while they wait.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Image
from articles.services import User
from core.audit import audit_log
from core.richtext import same_html
from core.sanitize import clean_body_html
from ticker.models import BreakingNews, Ticker, TickerEntry
from ticker.signals import breaking_news_changed, ticker_changed

Status = TickerEntry.Status


def _allowed(user: User, perm: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(perm))


def _require(user: User, perm: str) -> None:
    if not _allowed(user, perm):
        raise PermissionDenied(_("Dazu fehlt Ihnen die Berechtigung."))


def can_publish_entries(user: User) -> bool:
    """Editors: entries appear at once; others' entries wait for approval."""
    return _allowed(user, "ticker.publish_tickerentry")


def can_change_entry(user: User, entry: TickerEntry) -> bool:
    """Editors change every entry; a journalist only their own, while it waits."""
    if can_publish_entries(user) and _allowed(user, "ticker.change_tickerentry"):
        return True
    return (
        _allowed(user, "ticker.add_tickerentry")
        and entry.status == Status.REVIEW
        and entry.created_by_id == user.pk
    )


def can_remove_entry(user: User, entry: TickerEntry) -> bool:
    if _allowed(user, "ticker.delete_tickerentry"):
        return True
    return can_change_entry(user, entry)


def _emit(article_id: int, action: str) -> None:
    transaction.on_commit(
        lambda: ticker_changed.send(sender=Ticker, article_id=article_id, action=action)
    )


def _clean_text(body: str) -> str:
    cleaned = clean_body_html(body).strip()
    if not cleaned:
        raise ValidationError({"body": _("Bitte einen Text eingeben.")})
    return cleaned


def _sync_coverage_end(ticker: Ticker) -> None:
    """The ticker ends at its published closing entry (none: it runs)."""
    closing = ticker.entries.published().filter(closing=True).order_by("-time").only("time").first()
    ended_at = closing.time if closing else None
    if ticker.ended_at != ended_at:
        ticker.ended_at = ended_at
        ticker.save(update_fields=["ended_at"])


def _only_pinned(entry: TickerEntry) -> None:
    """One pinned entry per ticker: pinning one unpins the others."""
    if entry.pinned:
        TickerEntry.objects.filter(ticker_id=entry.ticker_id, pinned=True).exclude(
            pk=entry.pk
        ).update(pinned=False)


def ticker_start(*, user: User, article: Article, started_at: datetime | None = None) -> Ticker:
    """Make ``article`` a live ticker (idempotent). Audit entry; ``ticker_changed`` on commit."""
    _require(user, "ticker.add_ticker")
    with transaction.atomic():
        ticker, created = Ticker.objects.get_or_create(
            article=article, defaults={"started_at": started_at or timezone.now()}
        )
        if created:
            audit_log(actor=user, target=article, action="ticker_started")
            _emit(article.pk, "started")
    return ticker


def entry_add(
    *,
    user: User,
    ticker: Ticker,
    body: str,
    time: datetime | None = None,
    image: Image | None = None,
    key_event: bool = False,
    pinned: bool = False,
    closing: bool = False,
) -> TickerEntry:
    """Add an entry: published at once for editors, held for review otherwise.

    A published closing entry ends the coverage. Audit entry; ``ticker_changed`` on commit.
    """
    _require(user, "ticker.add_tickerentry")
    status = Status.PUBLISHED if can_publish_entries(user) else Status.REVIEW
    with transaction.atomic():
        ticker = Ticker.objects.select_for_update().get(pk=ticker.pk)
        entry = TickerEntry(
            ticker=ticker,
            body=_clean_text(body),
            time=time or timezone.now(),
            image=image,
            key_event=key_event,
            pinned=pinned,
            closing=closing,
            status=status,
            created_by=user if user.is_authenticated else None,
        )
        entry.full_clean()
        entry.save()
        if status == Status.PUBLISHED:
            _only_pinned(entry)
            _sync_coverage_end(ticker)
        audit_log(actor=user, target=entry, action="ticker_entry_added", to_state=status)
        _emit(ticker.pk, "entry_added")
    return entry


def entry_correct(
    *,
    user: User,
    entry: TickerEntry,
    body: str,
    time: datetime | None = None,
    image: Image | None = None,
    key_event: bool = False,
    pinned: bool = False,
    closing: bool = False,
) -> TickerEntry:
    """Change an entry. A published entry is marked as corrected (readers see it).

    A body that differs from the stored one only in serialisation (CKEditor's, see
    ``core.richtext``) keeps the stored text; an entry with nothing changed is not
    written (no mark). Audit entry with the old text; ``ticker_changed`` on commit.
    """
    with transaction.atomic():
        entry = TickerEntry.objects.select_for_update().get(pk=entry.pk)
        if not can_change_entry(user, entry):
            raise PermissionDenied(_("Diesen Eintrag dürfen Sie nicht ändern."))
        old_body = entry.body
        # CKEditor's serialisation of the stored text is not a new text (core.richtext).
        new_body = old_body if same_html(body, old_body) else _clean_text(body)
        new_values = {
            "body": new_body,
            "time": time or entry.time,
            "image_id": image.pk if image else None,
            "key_event": key_event,
            "pinned": pinned,
            "closing": closing,
        }
        if all(getattr(entry, name) == value for name, value in new_values.items()):
            return entry  # saved unchanged: no correction mark, audit entry or purge
        for name, value in new_values.items():
            setattr(entry, name, value)
        if entry.status == Status.PUBLISHED:
            entry.corrected_at = timezone.now()
        entry.full_clean()
        entry.save()
        if entry.status == Status.PUBLISHED:
            _only_pinned(entry)
            _sync_coverage_end(entry.ticker)
        audit_log(
            actor=user, target=entry, action="ticker_entry_corrected", data={"old_body": old_body}
        )
        _emit(entry.ticker_id, "entry_corrected")
    return entry


def entry_publish(*, user: User, entry: TickerEntry) -> TickerEntry:
    """Approve an entry held for review: it appears with its own time."""
    _require(user, "ticker.publish_tickerentry")
    with transaction.atomic():
        entry = TickerEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == Status.PUBLISHED:
            return entry
        entry.status = Status.PUBLISHED
        entry.save(update_fields=["status", "updated_at"])
        _only_pinned(entry)
        _sync_coverage_end(entry.ticker)
        audit_log(
            actor=user,
            target=entry,
            action="ticker_entry_published",
            from_state=Status.REVIEW,
            to_state=Status.PUBLISHED,
        )
        _emit(entry.ticker_id, "entry_published")
    return entry


def entry_remove(*, user: User, entry: TickerEntry) -> None:
    """Delete an entry (a removed closing entry lets the ticker run again).

    Audit entry with the removed text; ``ticker_changed`` on commit.
    """
    with transaction.atomic():
        entry = TickerEntry.objects.select_for_update().get(pk=entry.pk)
        if not can_remove_entry(user, entry):
            raise PermissionDenied(_("Diesen Eintrag dürfen Sie nicht entfernen."))
        audit_log(
            actor=user,
            target=entry,
            action="ticker_entry_removed",
            from_state=entry.status,
            data={"body": entry.body, "time": entry.time.isoformat()},
        )
        ticker = entry.ticker
        entry.delete()
        _sync_coverage_end(ticker)
        _emit(ticker.pk, "entry_removed")


def breaking_news_set(*, user: User, text: str, url: str = "") -> BreakingNews:
    """Show ``text`` (linked to ``url``, a path of this site) on every page, replacing
    the banner shown before. Audit entry; ``breaking_news_changed`` on commit."""
    _require(user, "ticker.add_breakingnews")
    url = url.strip()
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValidationError(
            {"url": _("Bitte einen Pfad dieser Website angeben, z. B. /politik/.")}
        )
    with transaction.atomic():
        BreakingNews.objects.filter(active=True).update(active=False, cleared_at=timezone.now())
        banner = BreakingNews(
            text=text.strip(), url=url, created_by=user if user.is_authenticated else None
        )
        banner.full_clean()
        banner.save()
        audit_log(actor=user, target=banner, action="breaking_news_set")
        transaction.on_commit(lambda: breaking_news_changed.send(sender=BreakingNews))
    return banner


def breaking_news_clear(*, user: User) -> int:
    """Take the banner down. Returns how many were active (0 or 1)."""
    _require(user, "ticker.change_breakingnews")
    with transaction.atomic():
        active = list(BreakingNews.objects.select_for_update().filter(active=True))
        for banner in active:
            banner.active = False
            banner.cleared_at = timezone.now()
            banner.save(update_fields=["active", "cleared_at"])
            audit_log(actor=user, target=banner, action="breaking_news_cleared")
        if active:
            transaction.on_commit(lambda: breaking_news_changed.send(sender=BreakingNews))
    return len(active)
