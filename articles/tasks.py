"""Background work of the articles app (Django tasks; enqueued on commit by services)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.tasks import task
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from articles.models import Article, Image
from core import mail
from core.languages import mail_language

EDITOR_GROUP = "Chef vom Dienst"


def _recipients_for(article: Article, action: str) -> list:
    user_model = get_user_model()
    if action == "submit":
        users = user_model.objects.filter(groups__name=EDITOR_GROUP, is_active=True)
    else:
        users = user_model.objects.filter(author__articles=article, is_active=True)
        if article.created_by_id:
            users = users | user_model.objects.filter(pk=article.created_by_id, is_active=True)
    by_address = {u.email: u for u in users.distinct().order_by("pk") if u.email}
    return [by_address[address] for address in sorted(by_address)]


def go_live_text(go_live_at: datetime) -> str:
    """The go-live time in the newsroom's time zone, formatted for the active language."""
    local = timezone.localtime(go_live_at, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return _("%(when)s (Zeitzone %(zone)s)") % {
        "when": formats.date_format(local, "DATETIME_FORMAT"),
        "zone": settings.TIME_ZONE,
    }


def _workflow_mail(
    article: Article, *, action: str, actor_name: str, note: str, go_live_at: datetime | None
) -> tuple[str, str]:
    scheduled = action == "publish" and go_live_at is not None and go_live_at > timezone.now()
    subjects = {
        "submit": _("Zur Prüfung: %(headline)s"),
        "publish": _("Geplant: %(headline)s") if scheduled else _("Veröffentlicht: %(headline)s"),
        "send_back": _("Zurückgewiesen: %(headline)s"),
    }
    subject = subjects[action] % {"headline": article.headline}
    lines = [_("%(name)s: %(action)s") % {"name": actor_name, "action": subject}, ""]
    if scheduled and go_live_at is not None:  # (scheduled implies it; said again for mypy)
        lines += [_("Geht online: %(when)s") % {"when": go_live_text(go_live_at)}, ""]
    if note:
        lines += [_("Notiz: %(note)s") % {"note": note}, ""]
    lines.append(settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk]))
    return subject, "\n".join(lines)


@task
def send_workflow_notification(
    *, article_id: int, action: str, actor_id: int | None, note: str, go_live_at: str | None = None
):
    """Mail the people who act next: editors on submit, authors on publish/send back.

    Each recipient gets the mail in their own language (``core.languages``);
    a scheduled publication names its go-live time (``go_live_at``, ISO 8601)
    in the newsroom's time zone. Returns the number of mails sent.
    """
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    recipients = _recipients_for(article, action)
    if not recipients:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    actor_name = (actor.get_full_name() or actor.get_username()) if actor else "newsroom"
    go_live = datetime.fromisoformat(go_live_at) if go_live_at else None
    by_language: dict[str, list[str]] = {}
    for user in recipients:
        by_language.setdefault(mail_language(user), []).append(user.email)
    sent = 0
    for language, addresses in sorted(by_language.items()):
        with override(language):
            subject, body = _workflow_mail(
                article, action=action, actor_name=actor_name, note=note, go_live_at=go_live
            )
        sent += mail.send(subject=subject, body=body, to=addresses)
    return sent


@task
def build_image_renditions(*, image_id: int) -> int:
    """Create the image's missing renditions; returns how many were made."""
    from articles.images import build_renditions

    image = Image.objects.filter(pk=image_id).first()
    return len(build_renditions(image)) if image else 0


@task
def add_search_words(*, article_id: int) -> int:
    """Add the words of a published article to the search lexicon; returns how many were new."""
    from articles.services import search_words_add

    return search_words_add(article_id=article_id)


def queue_search_words(sender, *, article_id: int, action: str, **kwargs) -> None:
    """``article_changed`` receiver: a published or edited article's words become searchable
    spellings, compounds and suggestions (the signal is sent after the commit)."""
    if action in ("published", "updated", "restored", "restored_from_archive"):
        add_search_words.enqueue(article_id=article_id)
