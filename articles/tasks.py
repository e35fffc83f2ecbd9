"""Background work of the articles app (Django tasks; enqueued on commit by services)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from articles.models import Article, Image

EDITOR_GROUP = "Chef vom Dienst"


def _recipients_for(article: Article, action: str) -> list[str]:
    user_model = get_user_model()
    if action == "submit":
        users = user_model.objects.filter(groups__name=EDITOR_GROUP, is_active=True)
    else:
        users = user_model.objects.filter(author__articles=article, is_active=True)
        if article.created_by_id:
            users = users | user_model.objects.filter(pk=article.created_by_id, is_active=True)
    return sorted({u.email for u in users.distinct() if u.email})


@task
def send_workflow_notification(*, article_id: int, action: str, actor_id: int | None, note: str):
    """Mail the people who act next: editors on submit, authors on publish/send back."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    recipients = _recipients_for(article, action)
    if not recipients:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    actor_name = (actor.get_full_name() or actor.get_username()) if actor else "newsroom"
    link = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    with override(settings.LANGUAGE_CODE):
        subjects = {
            "submit": _("Zur Prüfung: %(headline)s"),
            "publish": _("Veröffentlicht: %(headline)s"),
            "send_back": _("Zurückgewiesen: %(headline)s"),
        }
        subject = subjects[action] % {"headline": article.headline}
        lines = [
            _("%(name)s: %(action)s") % {"name": actor_name, "action": subject},
            "",
        ]
        if note:
            lines += [_("Notiz: %(note)s") % {"note": note}, ""]
        lines.append(link)
    return send_mail(subject, "\n".join(lines), None, recipients)


@task
def build_image_renditions(*, image_id: int) -> int:
    """Create the image's missing renditions; returns how many were made."""
    from articles.images import build_renditions

    image = Image.objects.filter(pk=image_id).first()
    return len(build_renditions(image)) if image else 0
