"""The moderation desk as one screen per queue, worked by keyboard or mouse.

Every row holds plain forms (approve, reject with a ground from the catalogue,
spam, ban, note) that work without JavaScript: they POST and come back to the
queue. ``static/js/moderation-desk.js`` sends the same forms with fetch, removes
the decided row, moves the next one up, announces it in a live region and adds
the keyboard (j/k/a/r/s/b/z/?). Counts are polled from ``counts/``. Each action
calls a service in ``comments.services``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles.models import Article
from comments import grounds, selectors, services
from comments.models import ArticleDiscussion, Comment, ModerationDecision

ACTIONS = ("approve", "reject", "spam", "ban", "note")


class DeskRejectForm(forms.Form):
    ground = forms.ChoiceField(choices=grounds.grouped_choices())
    reason = forms.CharField(max_length=2000)


class NoteForm(forms.Form):
    text = forms.CharField(max_length=2000)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class DeskViews:
    """Mixed into ``CommentAdmin``: the desk's URLs and views."""

    admin_site: Any
    model: Any

    def desk_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("desk/", view(self.desk_view), name="comments_comment_desk"),
            path("desk/counts/", view(self.desk_counts_view), name="comments_comment_desk_counts"),
            path(
                "desk/<int:pk>/<str:action>/",
                view(self.desk_act_view),
                name="comments_comment_desk_act",
            ),
            path(
                "desk/artikel/<int:article_id>/diskussion/",
                view(self.desk_discussion_view),
                name="comments_comment_desk_discussion",
            ),
            path(
                "desk/rueckgaengig/<int:decision_id>/",
                view(self.desk_undo_view),
                name="comments_comment_desk_undo",
            ),
        ]

    def _check(self, request: HttpRequest) -> None:
        if not request.user.has_perm("comments.moderate_comment"):
            raise PermissionDenied

    def desk_view(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        queue = request.GET.get("queue", "pending")
        if queue not in selectors.QUEUES:
            queue = "pending"
        rows = selectors.desk_queue(queue=queue)
        discussions = ArticleDiscussion.overrides()
        for row in rows:
            row.discussion_mode = discussions.get(row.article_id, "")  # type: ignore[attr-defined]
        counts = selectors.desk_counts()
        return TemplateResponse(
            request,
            "admin/comments/comment/desk.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Moderation"),
                "opts": self.model._meta,
                "queue": queue,
                "queues": [
                    (key, label, counts[key]) for key, (label, _c) in selectors.QUEUES.items()
                ],
                "counts": counts,
                "rows": rows,
                "ground_choices": grounds.grouped_choices(),
                "recent": selectors.recently_moderated(user=request.user),
                "waiting": queue in selectors.WAITING_QUEUES,
                "discussion_modes": ArticleDiscussion.Mode.choices,
            },
        )

    def desk_counts_view(self, request: HttpRequest) -> JsonResponse:
        self._check(request)
        return JsonResponse(selectors.desk_counts())

    def _answer(
        self,
        request: HttpRequest,
        *,
        ok: bool,
        message: str,
        queue: str,
        status: int = 200,
        **extra: Any,
    ) -> HttpResponse:
        if _wants_json(request):
            return JsonResponse({"ok": ok, "message": message, **extra}, status=status)
        self.message_user(request, message, messages.SUCCESS if ok else messages.ERROR)  # type: ignore[attr-defined]
        return HttpResponseRedirect(f"{reverse('admin:comments_comment_desk')}?queue={queue}")

    def desk_act_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        self._check(request)
        if request.method != "POST" or action not in ACTIONS:
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        queue = request.POST.get("queue", "pending")
        queue = queue if queue in selectors.QUEUES else "pending"
        user = request.user
        try:
            if action == "approve":
                services.comment_approve(comment=comment, actor=user)
                message = _("Freigegeben: %(c)s")
            elif action == "spam":
                services.comment_mark_spam(comment=comment, actor=user)
                message = _("Als Spam markiert: %(c)s")
            elif action == "ban":
                if not comment.email:
                    raise ValidationError(_("Dieser Kommentar hat keine Adresse zum Sperren."))
                services.comment_mark_spam(comment=comment, actor=user)
                services.ban_address(email=comment.email, actor=user, reason=str(_("Moderation")))
                message = _("Adresse gesperrt, Kommentar als Spam: %(c)s")
            elif action == "reject":
                form = DeskRejectForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        _("Bitte wählen Sie einen Grund und beschreiben Sie den Sachverhalt.")
                    )
                services.comment_reject(
                    comment=comment,
                    actor=user,
                    reason=form.cleaned_data["reason"],
                    ground=form.cleaned_data["ground"],
                )
                message = _("Abgelehnt: %(c)s")
            else:
                note_form = NoteForm(request.POST)
                if not note_form.is_valid():
                    raise ValidationError(_("Die Notiz ist leer."))
                note = services.note_add(
                    comment=comment, actor=user, text=note_form.cleaned_data["text"]
                )
                return self._answer(
                    request,
                    ok=True,
                    message=_("Notiz gespeichert."),
                    queue=queue,
                    note={"author": str(note.author or ""), "text": note.text},
                    stays=True,
                )
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            return self._answer(request, ok=False, message=text, queue=queue, status=409)
        decision = comment.decisions.exclude(kind=ModerationDecision.Kind.HOLD).first()
        excerpt = comment.text[:60]
        return self._answer(
            request,
            ok=True,
            message=message % {"c": excerpt},
            queue=queue,
            decision=decision.pk if decision else None,
            undo_url=reverse("admin:comments_comment_desk_undo", args=[decision.pk])
            if decision
            else "",
            counts=selectors.desk_counts(),
        )

    def desk_undo_view(self, request: HttpRequest, decision_id: int) -> HttpResponse:
        self._check(request)
        if request.method != "POST":
            raise PermissionDenied
        decision = get_object_or_404(ModerationDecision, pk=decision_id)
        queue = request.POST.get("queue", "pending")
        queue = queue if queue in selectors.QUEUES else "pending"
        try:
            comment = services.decision_undo(decision=decision, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            return self._answer(request, ok=False, message=text, queue=queue, status=409)
        return self._answer(
            request,
            ok=True,
            message=_("Rückgängig gemacht: %(c)s") % {"c": comment.text[:60]},
            queue=queue,
            counts=selectors.desk_counts(),
        )

    def desk_discussion_view(self, request: HttpRequest, article_id: int) -> HttpResponse:
        """Pause, close or post-moderate one article's discussion (or follow the site again)."""
        self._check(request)
        if request.method != "POST":
            raise PermissionDenied
        article = get_object_or_404(Article, pk=article_id)
        queue = request.POST.get("queue", "pending")
        queue = queue if queue in selectors.QUEUES else "pending"
        mode = request.POST.get("mode", "")
        try:
            services.article_discussion_set(article=article, mode=mode, actor=request.user)
        except ValidationError as exc:
            return self._answer(
                request, ok=False, message=" ".join(exc.messages), queue=queue, status=409
            )
        label = dict(ArticleDiscussion.Mode.choices).get(mode, _("wie eingestellt"))
        return self._answer(
            request,
            ok=True,
            message=_("Diskussion zu „%(headline)s“: %(mode)s")
            % {"headline": article.headline, "mode": label},
            queue=queue,
            stays=True,
        )
