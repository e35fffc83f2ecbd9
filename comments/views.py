"""Reader views of the comments app: thin wrappers over services and selectors.

The article page (cached, the same HTML for every reader) only contains the
comment list and forms without CSRF token. Everything per reader goes through
the never-cached endpoints here: ``session_state`` (JSON: CSRF token, form
timestamp, remembered name and e-mail) for the script, and form pages for
readers without JavaScript. A request that sends ``Accept: application/json``
gets JSON back and stays on the page; others are redirected (303) with a message.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article
from comments import selectors, services, tokens
from comments.forms import (
    CommentForm,
    ErrorReportForm,
    ManageRequestForm,
    NoticeForm,
    ReportForm,
    ReviewForm,
    SubscribeForm,
    resolve_feedback_point,
    resolve_parent,
)
from comments.models import Comment
from comments.templatetags.comments import comment_count_label, feedback_count_label
from core import jinja, ratelimit
from core.actors import acting_user
from core.clientip import client_ip as _client_ip  # the one for every limit and ban
from core.pagecache import mark_cacheable
from core.parsing import parse_id, parse_int

logger = logging.getLogger(__name__)

AUTHOR_COOKIE = "nr_comment_author"
AUTHOR_COOKIE_SALT = "comments.author"
AUTHOR_COOKIE_AGE = 365 * 24 * 3600
MAIL_DELAYED = services.MAIL_DELAYED_MESSAGE


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _article(article_id: int) -> Article:
    article = selectors.published_article(article_id=article_id)
    if article is None:
        raise Http404
    return article


def new_submission_key() -> str:
    """A random idempotency key for one comment form (see ``services.comment_submit``).

    Never part of the cached article page (it is the same for every reader): the
    script gets one from ``session_state``, the form page for readers without
    JavaScript renders one.
    """
    return secrets.token_urlsafe(24)


def _remembered_author(request) -> dict:
    try:
        raw = request.get_signed_cookie(AUTHOR_COOKIE, salt=AUTHOR_COOKIE_SALT)
        data = json.loads(raw)
        return {"name": str(data.get("name", "")), "email": str(data.get("email", ""))}
    except (KeyError, signing.BadSignature, ValueError, AttributeError):
        return {"name": "", "email": ""}


def _answer(
    request,
    *,
    ok: bool,
    message: str,
    status: int = 200,
    redirect_to: str = "",
    page_context: dict | None = None,
    **extra,
) -> HttpResponse:
    """JSON for the script, or a message plus redirect (303) / page for plain forms.

    ``extra`` goes into the JSON and the page and must be JSON-serialisable;
    ``page_context`` (objects such as the article) only reaches the HTML page.
    """
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse({"ok": ok, "message": message, **extra}, status=status)
    elif redirect_to and ok:
        (messages.success if ok else messages.error)(request, message)
        response = HttpResponseRedirect(redirect_to, status=303)
    else:
        response = render(
            request,
            "comments/message.html",
            {"message": message, "ok": ok, **extra, **(page_context or {})},
            status=status,
        )
    return response


@never_cache
@require_GET
def session_state(request):
    """Per-reader state for the cached article page's script. Never cached.

    New pages get the same data in their one request (``newsroom.page_data``);
    comments.js still calls this for a fresh form timestamp after posting."""
    return JsonResponse(session_data(request))


def session_data(request: HttpRequest) -> dict[str, object]:
    """The reader's comment-form state: CSRF token (sets the cookie when missing),
    form timestamp, a new submission key, signed-in user or remembered guest."""
    user = acting_user(request.user)
    author = _remembered_author(request)
    return {
        "csrfToken": get_token(request),
        "ts": tokens.form_timestamp(),
        "submissionKey": new_submission_key(),
        "authenticated": user is not None,
        "name": (user.get_full_name() or user.get_username()) if user else author["name"],
        "email": user.email if user else author["email"],
        "remembered": bool(author["email"]),
    }


@require_GET
def thread(request, article_id: int):
    """All comments of an article, paginated ("Alle Kommentare anzeigen").

    A full page for readers without JavaScript; shows messages, so never cached.
    """
    article = _article(article_id)
    section = selectors.comment_section(
        article=article,
        sort=selectors.parse_sort(request.GET.get("sortierung")),
        page=_page(request),
    )
    response = render(
        request, "comments/thread_page.html", {"article": article, "section": section}
    )
    response["Cache-Control"] = "no-cache, no-store, private"
    return response


@require_GET
def thread_fragment(request, article_id: int):
    """A page of threads as an HTML fragment for the script (lazy loading, sorting).

    The same for every reader; nothing per reader in it.
    """
    article = _article(article_id)
    section = selectors.comment_section(
        article=article,
        sort=selectors.parse_sort(request.GET.get("sortierung")),
        page=_page(request),
    )
    response = render(
        request, "comments/partials/comment_list.html", {"article": article, "section": section}
    )
    # The same for everyone: the shared page cache may keep it until the article's
    # comments change (comment_section_changed invalidates "article:<id>").
    return mark_cacheable(response, f"article:{article.pk}")


def _page(request) -> int:
    """``?seite=``: the page number, 1 for a missing or malformed one."""
    return parse_int(request.GET.get("seite", ""), minimum=1) or 1


def _status_message(comment: Comment) -> str:
    if comment.status == Comment.Status.APPROVED:
        return _("Danke! Ihr Kommentar ist veröffentlicht.")
    if comment.status == Comment.Status.REJECTED and any(
        r["code"] == "banned_word" for r in comment.moderation_reasons
    ):
        return _(
            "Ihr Kommentar verstößt gegen unsere Diskussionsregeln und wird nicht veröffentlicht."
        )
    return _("Danke! Ihr Kommentar wartet auf Freigabe durch die Moderation.")


class Responder:
    """The one way a form post is answered: JSON for the script, else a page or a redirect.

    ``template`` and ``context`` are the form page shown again when something is
    wrong (invalid input, a rate limit); the text the reader typed stays in it.
    """

    def __init__(self, request, *, template: str = "", context: dict | None = None):
        self.request = request
        self.template = template
        self.context = context or {}

    @property
    def wants_json(self) -> bool:
        return _wants_json(self.request)

    def invalid(self, form, message: str) -> HttpResponse:
        """400: the errors per field (JSON), or the form page with the errors on its fields."""
        if self.wants_json:
            return JsonResponse(
                {"ok": False, "message": message, "errors": form.errors}, status=400
            )
        return render(self.request, self.template, {**self.context, "form": form}, status=400)

    def refused(self, message: str, *, status: int = 403) -> HttpResponse:
        """Nothing can be done here (comments closed): the message, JSON or a page."""
        return _answer(self.request, ok=False, message=message, status=status)

    def rate_limited(self, exc: services.RateLimited, *, form=None) -> HttpResponse:
        """429 with Retry-After; the form page keeps the input."""
        context = {**self.context, "form": form} if form is not None else self.context
        return ratelimit.rate_limited_response(
            self.request, exc, template=self.template or None, context=context
        )

    def done(self, message: str, **kwargs) -> HttpResponse:
        """Success: JSON (``kwargs`` as for ``_answer``) or a message and redirect/page."""
        return _answer(self.request, ok=True, message=message, **kwargs)


def _compose_context(article: Article, *, parent, feedback_point) -> dict:
    return {
        "article": article,
        "parent": parent,
        "feedback_point": feedback_point,
        "is_open": services.comments_open(article=article),
    }


def _compose_page(request, article: Article, user) -> HttpResponse:
    """GET: the empty form (reply or feedback from the query string; junk ids are ignored)."""
    parent = resolve_parent(
        article=article, value=request.GET.get("parent") or request.GET.get("antwort")
    )
    feedback_point = resolve_feedback_point(article=article, value=request.GET.get("feedback"))
    author = _remembered_author(request)
    form = CommentForm(
        user=user,
        article=article,
        initial={
            **author,
            "remember": bool(author["email"]),
            "parent": parent.pk if parent else None,
            "feedback": feedback_point.pk if feedback_point else None,
            "ts": tokens.form_timestamp(),
            "key": new_submission_key(),
        },
    )
    context = _compose_context(article, parent=parent, feedback_point=feedback_point)
    return render(request, "comments/compose.html", {**context, "form": form})


def _submit(request, article: Article, user, data: dict) -> services.PostResult:
    """``services.comment_submit`` with the cleaned form and the request's client data."""
    return services.comment_submit(
        article=article,
        text=data["text"],
        name=data.get("name", ""),
        email=data.get("email", ""),
        user=user,
        parent=data.get("parent"),
        feedback_point=data.get("feedback"),
        ip=_client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        honeypot=data.get("website", ""),
        form_token=data.get("ts", ""),
        notify=data.get("notify", ""),
        submission_key=data.get("key", ""),
        language=get_language(),
    )


def _comment_html(request, article: Article, comment: Comment) -> str:
    """The new comment's HTML for the script ("" when not public or not renderable).

    The comment is committed: a database failure here must not turn the answer into
    an error page (the poster would send it again); the comment appears on reload.
    """
    if comment.status != Comment.Status.APPROVED:
        return ""
    comment.children = []  # type: ignore[attr-defined]  # a template attribute
    try:
        return jinja.render("comments/partials/comments.jinja", {"comments": [comment]})
    except DatabaseError:
        logger.warning("comment %s stored; its HTML could not be rendered", comment.pk)
        return ""


def _count_labels(article: Article, comment: Comment) -> dict[str, str]:
    """The comment section's count headings after a public comment, worded by the server
    (singular and plural in the reader's language) for the script to show; {} when
    the comment is not public or the counts cannot be read (they are right on reload).
    One query."""
    if comment.status != Comment.Status.APPROVED:
        return {}
    try:
        counts = selectors.comment_counts(article=article)
    except DatabaseError:
        logger.warning("comment %s stored; the counts could not be read", comment.pk)
        return {}
    return {
        "comments": comment_count_label(counts["comments"]),
        "feedback": feedback_count_label(counts["feedback"]),
    }


def _remember_author(request, response: HttpResponse, user, data: dict) -> None:
    """Guests who ticked "remember" get name and address in a signed cookie; others lose it."""
    if user is not None:
        return
    if data.get("remember"):
        response.set_signed_cookie(
            AUTHOR_COOKIE,
            json.dumps({"name": data["name"], "email": data["email"]}),
            salt=AUTHOR_COOKIE_SALT,
            max_age=AUTHOR_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(AUTHOR_COOKIE)


def _posted(responder: Responder, article: Article, result: services.PostResult) -> HttpResponse:
    """The answer for a stored (or recognised repeated) comment. No database writes; for
    the script a public comment's HTML and the new count headings (``counts``: one read)."""
    request = responder.request
    comment = result.comment
    message = _status_message(comment)
    if result.subscription_message:
        message += " " + str(result.subscription_message)
    anchor = comment.anchor if comment.status == Comment.Status.APPROVED else "kommentare"
    return responder.done(
        message,
        status=201 if responder.wants_json and not result.repeated else 200,
        redirect_to=f"{reverse('comments:thread', kwargs={'article_id': article.pk})}#{anchor}",
        status_code=comment.status,
        anchor=anchor,
        html=_comment_html(request, article, comment),
        counts=_count_labels(article, comment) if responder.wants_json else {},
        id=comment.pk,
        repeated=result.repeated,
        subscription=result.subscription,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def compose(request, article_id: int):
    """Write a comment, a reply (``?antwort=<id>``) or an inline feedback (``?feedback=<id>``).

    GET: the form page with CSRF token (for readers without JavaScript).
    POST: ``services.comment_submit``; 303 back to the comment, JSON for the script,
    400 with the errors on their fields, 429 with Retry-After when rate-limited
    (the text stays in the form).
    """
    article = _article(article_id)
    user = acting_user(request.user)
    if request.method == "GET":
        return _compose_page(request, article, user)

    form = CommentForm(request.POST, user=user, article=article)
    valid = form.is_valid()
    data = form.cleaned_data
    context = _compose_context(
        article, parent=data.get("parent"), feedback_point=data.get("feedback")
    )
    responder = Responder(request, template="comments/compose.html", context=context)
    if not context["is_open"]:
        return responder.refused(_("Die Kommentare zu diesem Artikel sind geschlossen."))
    if not valid:
        return responder.invalid(form, _("Bitte prüfen Sie Ihre Eingaben."))
    try:
        result = _submit(request, article, user, data)
    except services.CommentsClosed as exc:
        return responder.refused(str(exc))
    except services.RateLimited as exc:
        return responder.rate_limited(exc, form=form)
    except ValidationError as exc:
        form.add_service_error(exc)
        return responder.invalid(form, " ".join(exc.messages))
    response = _posted(responder, article, result)
    _remember_author(request, response, user, data)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request, article_id: int):
    """ "Abonnieren": subscribe with only an e-mail address (double opt-in)."""
    article = _article(article_id)
    if request.method == "GET":
        return render(
            request, "comments/subscribe.html", {"article": article, "form": SubscribeForm()}
        )
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse(
                {
                    "ok": False,
                    "message": _("Bitte prüfen Sie Ihre E-Mail-Adresse."),
                    "errors": form.errors,
                },
                status=400,
            )
        return render(
            request, "comments/subscribe.html", {"article": article, "form": form}, status=400
        )
    try:
        subscription = services.subscription_request(
            article=article,
            email=form.cleaned_data["email"],
            kind=form.cleaned_data["kind"],
            ip=_client_ip(request),
            language=get_language(),
        )
    except services.RateLimited as exc:
        return ratelimit.rate_limited_response(
            request,
            exc,
            template="comments/subscribe.html",
            context={"article": article, "form": form},
        )
    if services.confirmation_pending(subscription):
        message = str(MAIL_DELAYED)
    else:
        message = _(
            "Fast geschafft: Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie Ihr "
            "Abonnement über den Link darin. Vorher senden wir Ihnen nichts."
        )
    return _answer(request, ok=True, message=message, page_context={"article": article})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET: a page with a confirm button (link scanners do not confirm). POST: confirm."""
    if request.method == "GET":
        return render(request, "comments/confirm.html", {"token": token})
    try:
        subscription = services.subscription_confirm(token=token)
    except services.InvalidToken as exc:
        return render(
            request, "comments/message.html", {"message": str(exc), "ok": False}, status=400
        )
    return render(
        request,
        "comments/message.html",
        {
            "ok": True,
            "message": _(
                "Danke! Ihr Abonnement ist bestätigt. Sie erhalten ab jetzt Benachrichtigungen."
            ),
            "article": subscription.article,
        },
    )


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a token; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with one button. POST (also the mail client's one-click): unsubscribe."""
    try:
        tokens.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(
            request,
            "comments/message.html",
            {"message": _("Dieser Link ist ungültig."), "ok": False},
            status=400,
        )
    if request.method == "GET":
        return render(request, "comments/unsubscribe.html", {"token": token})
    subscriptions = services.unsubscribe(token=token)
    return render(
        request,
        "comments/message.html",
        {
            "ok": True,
            "message": _(
                "Sie sind abgemeldet und erhalten zu diesen Kommentaren keine E-Mails mehr."
            ),
            "subscriptions": subscriptions,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, comment_id: int):
    """Report a comment with a reason. One report per reader and comment counts."""
    comment = get_object_or_404(
        Comment.objects.public().select_related("article__section"), pk=comment_id
    )
    if not Article.objects.published().filter(pk=comment.article_id).exists():
        raise Http404
    if request.method == "GET":
        return render(request, "comments/report.html", {"comment": comment, "form": ReportForm()})
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render(
            request, "comments/report.html", {"comment": comment, "form": form}, status=400
        )
    wait = ratelimit.seconds_to_wait(
        "comments-report-ip", _client_ip(request), limit=30, window=3600
    )
    if wait:
        return ratelimit.rate_limited_response(
            request,
            ratelimit.RateLimited(
                retry_after=wait,
                message=_("Zu viele Meldungen. Bitte versuchen Sie es später erneut."),
            ),
        )
    services.comment_report(
        comment=comment,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
        ip=_client_ip(request),
    )
    return _answer(
        request,
        ok=True,
        message=_("Danke für Ihren Hinweis. Die Moderation sieht sich den Kommentar an."),
        page_context={"article": comment.article},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage_request(request):
    """Ask for a link to the manage-my-data page by mail.

    The same answer for every address, known or not, mail server up or down
    (the link goes out from a task that retries; see comments/manage_links.py).
    """
    if request.method == "GET":
        return render(request, "comments/manage_request.html", {"form": ManageRequestForm()})
    form = ManageRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "comments/manage_request.html", {"form": form}, status=400)
    try:
        services.manage_link_request(
            email=form.cleaned_data["email"], ip=_client_ip(request), language=get_language()
        )
    except services.RateLimited as exc:
        return ratelimit.rate_limited_response(
            request, exc, template="comments/manage_request.html", context={"form": form}
        )
    return _answer(
        request,
        ok=True,
        message=_(
            "Wenn zu dieser Adresse Kommentare oder Abonnements gespeichert sind, schicken "
            "wir Ihnen in den nächsten Minuten einen Link per E-Mail. Er ist 24 Stunden gültig."
        ),
    )


def _manage_email(token: str) -> str:
    try:
        return tokens.read_manage_token(token)
    except signing.BadSignature as exc:
        raise Http404(_("Dieser Link ist ungültig oder abgelaufen.")) from exc


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    """Lists an address's subscriptions and comments; removes subscriptions, deletes comments."""
    email = _manage_email(token)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove_subscription":
            subscription_id = parse_id(request.POST.get("subscription", ""))
            if subscription_id is not None and services.subscription_remove(
                email=email, subscription_id=subscription_id
            ):
                messages.success(request, _("Das Abonnement ist beendet."))
            else:
                messages.error(request, _("Dieses Abonnement gibt es nicht oder es ist beendet."))
        elif action == "remove_all":
            services.subscription_remove(email=email)
            messages.success(request, _("Alle Abonnements sind beendet."))
        elif action == "delete_comments" and request.POST.get("confirm"):
            count = services.address_comments_delete(email=email)
            messages.success(
                request,
                ngettext(
                    "%(count)s Kommentar wurde gelöscht.",
                    "%(count)s Kommentare wurden gelöscht.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.error(request, _("Bitte bestätigen Sie das Löschen mit dem Häkchen."))
        return redirect("comments:manage", token=token)
    data = selectors.address_data(email=email)
    return render(request, "comments/manage.html", {"token": token, **data})


@never_cache
@require_GET
def manage_export(request, token: str):
    """JSON download of everything stored about the address (DSGVO Art. 15/20)."""
    email = _manage_email(token)
    response = HttpResponse(
        json.dumps(selectors.address_export(email=email), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-kommentare.json"'
    return response


def _public_comment(comment_id: int) -> Comment:
    """A comment readers can see on a published article, else 404."""
    comment = get_object_or_404(
        Comment.objects.public().select_related("article__section"), pk=comment_id
    )
    if not Article.objects.published().filter(pk=comment.article_id).exists():
        raise Http404
    return comment


@never_cache
@require_http_methods(["GET", "POST"])
def notice(request, comment_id: int | None = None):
    """The DSA notice form (Art. 16), for anyone, from a comment or the footer."""
    comment = _public_comment(comment_id) if comment_id is not None else None
    if request.method == "GET":
        initial = {"comment_link": request.GET.get("kommentar", "")[:500]}
        form = NoticeForm(comment=comment, initial=initial)
        return render(request, "comments/notice.html", {"comment": comment, "form": form})
    form = NoticeForm(request.POST, comment=comment)
    if not form.is_valid():
        return render(
            request, "comments/notice.html", {"comment": comment, "form": form}, status=400
        )
    wait = ratelimit.seconds_to_wait(
        "comments-notice-ip", _client_ip(request), limit=20, window=3600
    )
    if wait:
        return ratelimit.rate_limited_response(
            request,
            ratelimit.RateLimited(
                retry_after=wait,
                message=_("Zu viele Hinweise. Bitte versuchen Sie es später erneut."),
            ),
        )
    target = form.comment
    assert target is not None  # set by the form (fixed or from the link)
    data = form.cleaned_data
    try:
        services.notice_submit(
            comment=target,
            ground=data["ground"],
            explanation=data["explanation"],
            name=data["name"],
            email=data["email"],
            good_faith=data["good_faith"],
            language=get_language() or "de",
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(
            request, "comments/notice.html", {"comment": comment, "form": form}, status=400
        )
    message = _("Danke. Ihr Hinweis ist eingegangen; die Moderation prüft den Kommentar.") + (
        " " + _("Sie erhalten eine Eingangsbestätigung und später unsere Entscheidung per E-Mail.")
        if data["email"]
        else ""
    )
    return _answer(request, ok=True, message=message, page_context={"article": target.article})


@never_cache
@require_http_methods(["GET", "POST"])
def review(request, token: str):
    """The author of a rejected comment asks for a review (DSA Art. 20), by the mailed link."""
    try:
        decision = services.review_decision(token)
    except ValidationError as exc:
        return _answer(request, ok=False, message=" ".join(exc.messages), status=404)
    assert decision.comment is not None  # review_decision only returns decisions with one
    return _review_form(
        request,
        {"decision": decision, "comment": decision.comment},
        lambda explanation: services.review_request(decision=decision, explanation=explanation),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def error_report(request, article_id: int):
    """ "Fehler melden" for an article, at a passage (``?absatz=N``) or the whole text.

    Works without JavaScript (the passage is chosen in the form); the article page's
    script adds a link after each paragraph that preselects it.
    """
    article = _article(article_id)
    paragraphs = selectors.article_paragraphs(article.body)
    context = {"article": article}
    if request.method == "GET":
        index = parse_int(request.GET.get("absatz"), minimum=0)
        form = ErrorReportForm(
            paragraphs=paragraphs, language=article.language, initial={"paragraph": index}
        )
        return render(request, "comments/error_report.html", {**context, "form": form})
    form = ErrorReportForm(request.POST, paragraphs=paragraphs, language=article.language)
    if not form.is_valid():
        return render(request, "comments/error_report.html", {**context, "form": form}, status=400)
    wait = ratelimit.seconds_to_wait(
        "comments-error-report-ip", _client_ip(request), limit=20, window=3600
    )
    if wait:
        return ratelimit.rate_limited_response(
            request,
            ratelimit.RateLimited(
                retry_after=wait,
                message=_("Zu viele Meldungen. Bitte versuchen Sie es später erneut."),
            ),
        )
    data = form.cleaned_data
    try:
        services.error_report_submit(
            article=article,
            text=data["text"],
            paragraph_index=data["paragraph"],
            name=data["name"],
            email=data["email"],
            language=get_language() or "de",
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "comments/error_report.html", {**context, "form": form}, status=400)
    return _answer(
        request,
        ok=True,
        message=_("Danke für Ihren Hinweis. Die Redaktion prüft ihn.")
        + (" " + _("Wenn wir korrigieren, schreiben wir Ihnen.") if data["email"] else ""),
        page_context={"article": article},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def notice_review(request, token: str):
    """The notifier of a notice that led to no removal complains (DSA Art. 20)."""
    try:
        notice = services.notice_review_notice(token)
    except ValidationError as exc:
        return _answer(request, ok=False, message=" ".join(exc.messages), status=404)
    assert notice.comment is not None  # notice_review_notice only returns notices with one
    return _review_form(
        request,
        {"decision": notice.decision, "comment": notice.comment, "notice": notice},
        lambda explanation: services.notice_review_request(notice=notice, explanation=explanation),
    )


def _review_form(
    request: HttpRequest, context: dict[str, Any], submit: Callable[[str], object]
) -> HttpResponse:
    """The review request form of an author or a notifier: shown on GET, on POST sent
    through ``submit`` (a service; its refusal answers 409)."""
    if request.method == "GET":
        return render(request, "comments/review.html", {**context, "form": ReviewForm()})
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(request, "comments/review.html", {**context, "form": form}, status=400)
    try:
        submit(form.cleaned_data["explanation"])
    except ValidationError as exc:
        return _answer(request, ok=False, message=" ".join(exc.messages), status=409)
    return _answer(
        request,
        ok=True,
        message=_(
            "Ihr Widerspruch ist eingegangen. Eine andere Person aus der Moderation prüft "
            "den Kommentar erneut; das Ergebnis erhalten Sie per E-Mail."
        ),
        page_context={"article": context["comment"].article},
    )
