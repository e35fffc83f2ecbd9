"""The corrections loop: a reader reports an error in an article, an editor turns
the report into a published correction (``articles.Correction``, shown on the
page and in its JSON-LD ``correction``) or dismisses it; the reporter is told.

The article page is purged through ``newsroom.purges`` when the correction row
is saved (on commit), as for a correction entered in the article form.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article, Correction
from comments import mail
from comments.models import ErrorReport, normalise_email
from comments.selectors import article_paragraphs
from core.actors import acting_user
from core.audit import audit_log

logger = logging.getLogger(__name__)


def error_report_submit(
    *,
    article: Article,
    text: str,
    paragraph_index: int | None = None,
    name: str = "",
    email: str = "",
    language: str = "de",
) -> ErrorReport:
    """Store a reader's error report; the passage is quoted from the paragraph.

    ``ValidationError`` for an empty text or a paragraph the article does not have.
    Audit entry. No mail now: the reporter hears when the report is corrected.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Bitte beschreiben Sie den Fehler."), code="text")
    passage = ""
    if paragraph_index is not None:
        paragraphs = article_paragraphs(article.body)
        if not 0 <= paragraph_index < len(paragraphs):
            raise ValidationError(_("Diesen Absatz gibt es nicht."), code="paragraph")
        passage = paragraphs[paragraph_index]
    with transaction.atomic():
        report = ErrorReport.objects.create(
            article=article,
            paragraph_index=paragraph_index,
            passage=passage,
            text=text[:3000],
            name=(name or "").strip()[:120],
            email=normalise_email(email),
            language=language if language in ("de", "en") else "de",
        )
        audit_log(actor=None, target=report, action="error_report.submit")
    return report


def _check_editor(actor: Any) -> None:
    if not (actor is not None and actor.has_perm("comments.change_errorreport")):
        raise PermissionDenied


def error_report_correct(*, report: ErrorReport, actor: Any, text: str) -> Correction:
    """Publish a correction on the report's article and close the report.

    Only editors (``comments.change_errorreport``). Audit entries on the report and
    the article; on commit the reporter is mailed (when they left an address) and
    the article's pages are purged (the correction row's save).
    """
    _check_editor(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Bitte geben Sie den Text der Korrektur an."))
    with transaction.atomic():
        report = ErrorReport.objects.select_for_update().select_related("article").get(pk=report.pk)
        if report.status != ErrorReport.Status.OPEN:
            raise ValidationError(_("Diese Meldung ist bereits bearbeitet."))
        correction = Correction(article=report.article, text=text)
        correction.full_clean()
        correction.save()
        report.status = ErrorReport.Status.CORRECTED
        report.correction = correction
        report.handled_at = timezone.now()
        report.handled_by = acting_user(actor)
        report.save(update_fields=["status", "correction", "handled_at", "handled_by"])
        audit_log(
            actor=actor,
            target=report,
            action="error_report.correct",
            from_state=ErrorReport.Status.OPEN,
            to_state=report.status,
        )
        audit_log(actor=actor, target=report.article, action="article.correction", note=text)
        if report.email:
            transaction.on_commit(lambda: _mail_reporter(report))
    return correction


def error_report_dismiss(*, report: ErrorReport, actor: Any) -> ErrorReport:
    """Close the report without a correction (editors only). Audit entry."""
    _check_editor(actor)
    with transaction.atomic():
        report = ErrorReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ErrorReport.Status.OPEN:
            raise ValidationError(_("Diese Meldung ist bereits bearbeitet."))
        report.status = ErrorReport.Status.DISMISSED
        report.handled_at = timezone.now()
        report.handled_by = acting_user(actor)
        report.save(update_fields=["status", "handled_at", "handled_by"])
        audit_log(
            actor=actor,
            target=report,
            action="error_report.dismiss",
            from_state=ErrorReport.Status.OPEN,
            to_state=report.status,
        )
    return report


def _mail_reporter(report: ErrorReport) -> None:
    """Tell the reporter the correction is published; a mail failure is logged and audited."""
    try:
        with translation.override(report.language):
            mail.send_mail_now(
                to=report.email,
                subject=_("Danke: Wir haben „%(headline)s“ korrigiert")
                % {"headline": report.article.headline},
                template="error_corrected",
                context={
                    "report": report,
                    "article": report.article,
                    "article_url": mail.absolute_url(
                        f"{report.article.get_absolute_url()}#korrekturen"
                    ),
                },
                unsubscribe=mail.unsubscribe_url(email=report.email, language=report.language),
                language=report.language,
            )
    except mail.MAIL_SERVER_ERRORS as exc:
        logger.warning("correction mail for error report %s failed: %s", report.pk, exc)
        audit_log(
            actor=None,
            target=report,
            action="mail.error_corrected_failed",
            note=_("Die E-Mail konnte nicht versendet werden."),
        )
