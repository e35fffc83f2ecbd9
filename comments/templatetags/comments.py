"""Template tags of the comments app: the comment section and safe comment text."""

from django import template
from django.utils.html import format_html, linebreaks, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import selectors

register = template.Library()

REASON_LABELS = {
    "honeypot": _("Verstecktes Feld ausgefüllt (Bot)"),
    "form_token": _("Formular ohne gültigen Zeitstempel"),
    "too_fast": _("Zu schnell ausgefüllt"),
    "banned_address": _("Gesperrte Adresse"),
    "banned_ip": _("Gesperrte IP-Adresse"),
    "too_many_links": _("Zu viele Links"),
    "banned_word": _("Verbotenes Wort"),
    "suspect_word": _("Verdächtiges Wort"),
    "duplicate": _("Doppelter Text"),
    "premoderation": _("Vorab-Moderation"),
    "first_comment": _("Erster Kommentar dieser Adresse"),
    "reported": _("Von Lesern gemeldet"),
    "review": _("Widerspruch der Autorin oder des Autors"),
    "notice_review": _("Widerspruch gegen das Belassen (Hinweisgeber)"),
}


@register.filter(name="reason_label_tag")
def reason_label(reason: dict) -> str:
    code = reason.get("code", "")
    label = str(REASON_LABELS.get(code, code))
    detail = reason.get("detail")
    return f"{label} ({detail})" if detail else label


@register.simple_tag
def comment_section(article, sort="neueste", page=1, initial=False):
    """``{% comment_section article initial=True as section %}``: see
    ``selectors.comment_section`` (``initial``: the shortened list of the article page)."""
    return selectors.comment_section(article=article, sort=sort, page=page, initial=initial)


@register.filter
def comment_text(text: str) -> str:
    """Plain reader text: escaped, links made clickable with rel="nofollow ugc", line breaks."""
    linked = urlize(text or "", trim_url_limit=60, nofollow=True, autoescape=True)
    # urlize escapes the reader's text, so this attribute can only be urlize's own.
    linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc"')
    return mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308 — escaped above


@register.filter
def reader_name(name: str) -> str:
    """A reader's name isolated from the text around it (``<bdi>``): right-to-left
    letters or leftover bidi controls in it cannot reorder what follows."""
    return format_html("<bdi>{}</bdi>", name or "")


@register.filter
def reader_name_text(name: str) -> str:
    """The plain-text form of ``reader_name`` (mails): FIRST STRONG ISOLATE …
    POP DIRECTIONAL ISOLATE around the name."""
    return f"\u2068{name or ''}\u2069"


@register.simple_tag
def comment_count_label(count: int) -> str:
    return ngettext("%(count)s Kommentar", "%(count)s Kommentare", count) % {"count": count}


@register.simple_tag
def feedback_count_label(count: int) -> str:
    return ngettext("%(count)s Inline-Feedback", "%(count)s Inline-Feedbacks", count) % {
        "count": count
    }
