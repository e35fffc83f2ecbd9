"""Reads for the desk pages: the "Meine Arbeit" start page of each role.

Selectors only (no writes); each states its query budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from articles.models import Article, ArticleQuerySet
from articles.services.base import User
from core.models import AuditEntry

LIMIT = 20  # rows per list on the start page; the change list has the rest


@dataclass
class MyWork:
    """The five lists of the start page (empty lists are shown as "nothing")."""

    drafts: Sequence[Article] = field(default_factory=list)
    sent_back: Sequence[Article] = field(default_factory=list)
    to_review: Sequence[Article] = field(default_factory=list)
    scheduled_today: Sequence[Article] = field(default_factory=list)
    # Own articles taken offline (unpublished): no longer anywhere else on the desk.
    withdrawn: Sequence[Article] = field(default_factory=list)
    reviews_for_me: bool = False  # editors review everyone's; journalists see their own waiting


def own_articles(user: User) -> Q:
    """Articles ``user`` created or is an author of."""
    return Q(created_by=user) | Q(authorships__author__user=user)


def _berlin_day(at: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(at)
    start = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    return start, start + timedelta(days=1)


def _last_step(article_type: ContentType, field_name: str) -> models.Subquery:
    """The newest workflow audit entry's ``field_name`` of the outer article."""
    return models.Subquery(
        AuditEntry.objects.filter(
            content_type=article_type,
            object_id=Cast(models.OuterRef("pk"), models.CharField()),
            action__startswith="article.",
        )
        .exclude(action__in=["article.create", "article.update", "article.restored"])
        .order_by("-created_at", "-id")
        .values(field_name)[:1]
    )


def my_work(*, user: User, at: datetime | None = None) -> MyWork:
    """What ``user`` has to do now: own drafts (those sent back with the editor's
    reason apart), articles waiting for review (all of them for whoever may publish,
    else the user's own), today's scheduled go-lives (all, or the user's own), and
    the user's own articles that were taken offline, with the reason.

    Five queries (authors are not loaded; the list shows headline, section, time).
    """
    if not (user.is_authenticated and user.has_perm("articles.view_article")):
        return MyWork()
    now = at or timezone.now()
    article_type = ContentType.objects.get_for_model(Article)
    reviewer = user.has_perm("articles.publish_article")
    base: ArticleQuerySet = Article.objects.select_related("section").order_by("-updated_at")
    drafts = list(
        base.filter(own_articles(user), status=Article.Status.DRAFT)
        .annotate(
            last_action=_last_step(article_type, "action"),
            last_note=_last_step(article_type, "note"),
        )
        .distinct()[: LIMIT * 2]
    )
    sent_back = [a for a in drafts if getattr(a, "last_action", "") == "article.send_back"]
    waiting = base.filter(status=Article.Status.REVIEW)
    if not reviewer:
        waiting = waiting.filter(own_articles(user)).distinct()
    start, end = _berlin_day(now)
    today = (
        Article.objects.select_related("section")
        .scheduled(at=now)
        .filter(go_live_at__lt=end, go_live_at__gte=start)
        .order_by("go_live_at")
    )
    if not user.has_perm("articles.edit_any_article"):
        today = today.filter(own_articles(user)).distinct()
    withdrawn = (
        base.filter(own_articles(user), status=Article.Status.UNPUBLISHED)
        .annotate(last_note=_last_step(article_type, "note"))
        .distinct()
    )
    return MyWork(
        drafts=[a for a in drafts if a not in sent_back][:LIMIT],
        sent_back=sent_back[:LIMIT],
        to_review=list(waiting[:LIMIT]),
        scheduled_today=list(today[:LIMIT]),
        withdrawn=list(withdrawn[:LIMIT]),
        reviews_for_me=reviewer,
    )


@dataclass(frozen=True)
class PlanningEntry:
    """One thing on the planning calendar: a go-live, an expiry or an article in review."""

    kind: str  # "go_live", "expiry", "review"
    at: datetime
    article: Article


def planning_entries(
    *,
    user: User,
    start: datetime,
    end: datetime,
    section_id: int | None = None,
    author_id: int | None = None,
) -> list[PlanningEntry]:
    """What happens between ``start`` and ``end``, by time: scheduled go-lives, expiries,
    and articles in review at the target time given when submitting, else at submission.

    Journalists see their own articles only. Three queries (go-lives, expiries, reviews)
    plus one for the submission times.
    """
    if not (user.is_authenticated and user.has_perm("articles.view_article")):
        return []
    base: ArticleQuerySet = Article.objects.select_related("section").prefetch_related(
        "authorships__author"
    )
    if not user.has_perm("articles.edit_any_article"):
        base = base.filter(own_articles(user)).distinct()
    if section_id:
        base = base.filter(section_id=section_id)
    if author_id:
        base = base.filter(authorships__author_id=author_id).distinct()
    published = Article.Status.PUBLISHED
    entries = [
        PlanningEntry("go_live", a.go_live_at, a)
        for a in base.filter(status=published, go_live_at__gte=start, go_live_at__lt=end)
        if a.go_live_at
    ]
    entries += [
        PlanningEntry("expiry", a.expires_at, a)
        for a in base.filter(status=published, expires_at__gte=start, expires_at__lt=end)
        if a.expires_at
    ]
    in_review = list(base.filter(status=Article.Status.REVIEW))
    submitted: dict[str, datetime] = {}
    for object_id, created_at, data in (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id__in=[str(a.pk) for a in in_review],
            action="article.submit",
        )
        .order_by("object_id", "-created_at")
        .distinct("object_id")
        .values_list("object_id", "created_at", "data")
    ):
        target = (data or {}).get("target_at")
        submitted[object_id] = datetime.fromisoformat(target) if target else created_at
    for article in in_review:
        at = submitted.get(str(article.pk)) or article.go_live_at or article.updated_at
        if start <= at < end:
            entries.append(PlanningEntry("review", at, article))
    return sorted(entries, key=lambda entry: (entry.at, entry.article.pk))
