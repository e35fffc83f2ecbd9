"""Many articles at once (the change list's bulk actions): schedule, unpublish, move to a
section, add a tag.

Each article goes through its own service call (``article_publish``,
``article_unpublish``, ``article_update``), so each is checked, audited and purged on
commit on its own; one refusal never stops the others. ``bulk_apply`` collects what
happened to each article into a ``BulkReport``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.models import Article, Section
from articles.services.base import User
from articles.services.editing import article_update
from articles.services.workflow import article_publish
from articles.tags import validate_tag_name


def article_move_to_section(*, actor: User, article: Article, section: Section) -> Article:
    """Put ``article`` into ``section`` (a new version; a published article keeps its old
    URL as a redirect). Same permission as editing. Side effects: those of
    ``article_update`` (revision, audit entry ``article.section_moved``, ``article_changed``
    on commit)."""
    return article_update(
        actor=actor,
        article=article,
        expected_version=None,
        changes={"section": section},
        note=_("Verschoben nach „%(section)s“") % {"section": section.name},
        action="section_moved",
    )


def article_add_tag(*, actor: User, article: Article, tag: str) -> Article:
    """Add the tag ``tag`` (an existing one of any case, else a new one) to ``article``,
    keeping its other tags.

    Same permission as editing. Side effects: those of ``article_update`` (revision,
    audit entry ``article.tag_added``, ``article_changed`` on commit).
    """
    tag = tag.strip()
    if not tag:
        raise ValidationError(_("Bitte ein Schlagwort angeben."), code="tag_required")
    validate_tag_name(tag)
    # "energie" adds the existing "Energie", not a second tag readers cannot tell apart.
    tag = Tag.objects.filter(name__iexact=tag).values_list("name", flat=True).first() or tag
    names = list(article.tags.names())
    if tag.casefold() in {name.casefold() for name in names}:
        raise ValidationError(_("Hat dieses Schlagwort schon."), code="tag_present")
    return article_update(
        actor=actor,
        article=article,
        expected_version=None,
        tags=[*names, tag],
        note=_("Schlagwort „%(tag)s“ hinzugefügt") % {"tag": tag},
        action="tag_added",
    )


def article_schedule(*, actor: User, article: Article, go_live_at: datetime) -> Article:
    """Publish ``article`` at ``go_live_at`` (must lie in the future). Editors only.

    Side effects: those of ``article_publish`` (audit entry, ``article_changed`` and a
    mail to the authors on commit).
    """
    now = timezone.now()
    if go_live_at <= now:
        raise ValidationError(_("Der Zeitpunkt muss in der Zukunft liegen."), code="past")
    live = Article.objects.published(at=now).filter(pk=article.pk).exists()
    if live:
        # Scheduling a live article would take it offline until then: unpublish first.
        raise ValidationError(_("Ist schon online; erst zurückziehen."), code="live")
    keep_expiry = (
        article.expires_at if article.expires_at and article.expires_at > go_live_at else None
    )
    return article_publish(
        actor=actor, article=article, go_live_at=go_live_at, expires_at=keep_expiry
    )


@dataclass(frozen=True)
class BulkOutcome:
    article: Article
    done: bool
    reason: str = ""


@dataclass
class BulkReport:
    """What a bulk action did: one outcome per article, in the order given."""

    outcomes: list[BulkOutcome] = field(default_factory=list)

    @property
    def done(self) -> list[BulkOutcome]:
        return [outcome for outcome in self.outcomes if outcome.done]

    @property
    def refused(self) -> list[BulkOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.done]


def bulk_apply(*, articles: Iterable[Article], step: Callable[[Article], object]) -> BulkReport:
    """Run ``step(article)`` (one of the services above, bound to its actor and values)
    for each article, each in its own transaction; a refusal (``PermissionDenied``,
    ``ValidationError``) is recorded with its reason and the next article goes on.
    No side effects beyond those of ``step``."""
    report = BulkReport()
    for article in articles:
        try:
            step(article)
        except (PermissionDenied, ValidationError) as error:
            reason = "; ".join(getattr(error, "messages", []) or []) or str(error)
            report.outcomes.append(BulkOutcome(article, False, reason or _("nicht erlaubt")))
        else:
            report.outcomes.append(BulkOutcome(article, True))
    return report
