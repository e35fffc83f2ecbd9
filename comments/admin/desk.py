"""The moderation desk: the comment queues, their actions and one-click buttons.

Queues (Pending, Reported, Approved, Rejected, Spam) with counts as a list
filter; every row shows the article, the comment it answers, why it was held and
the author's history. Actions and buttons call ``comments.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from comments import grounds, selectors, services
from comments.admin.workdesk import DeskViews
from comments.models import (
    Comment,
    CommentReport,
    ModerationDecision,
    Notice,
    ReviewRequest,
)
from comments.templatetags.comments import reason_label
from comments.transparency import transparency_report

QUEUES = selectors.QUEUES


class QueueFilter(admin.SimpleListFilter):
    """The moderation queues, each with its count (one query for all counts)."""

    title = _("Warteschlange")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        counts = Comment.objects.aggregate(
            **{key: Count("pk", filter=condition) for key, (_label, condition) in QUEUES.items()}
        )
        return [(key, f"{label} ({counts[key]})") for key, (label, _c) in QUEUES.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value is not None and value in QUEUES:
            return queryset.filter(QUEUES[value][1])
        return queryset


class RejectForm(forms.Form):
    """The statement of reasons (DSA Art. 17): a ground from the catalogue and the facts."""

    ground = forms.ChoiceField(
        label=_("Grund (Katalog)"), choices=grounds.grouped_choices(), initial="rules_other"
    )
    reason = forms.CharField(
        label=_("Sachverhalt"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=_(
            "Pflichtfeld: was am Kommentar den Grund erfüllt. Geht mit dem Grund und einem "
            "Link zum Widerspruch an den Autor, wenn er eine Adresse angegeben hat."
        ),
    )


def reject_adminform(form: RejectForm, title=None) -> helpers.AdminForm:
    """``form`` in the admin's own field layout (labels, help, errors; fits a phone)."""
    # AdminForm only reads fields, errors and media, which a plain Form has too.
    return helpers.AdminForm(
        form,  # type: ignore[arg-type]  # the stubs ask for a ModelForm
        [(title, {"fields": list(form.fields)})],
        prepopulated_fields={},
    )


def _history_subquery(status: str):
    return Coalesce(
        Subquery(
            Comment.objects.filter(email=OuterRef("email"), status=status)
            .exclude(email="")
            .order_by()
            .values("email")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


# Every field of a comment on its change page (all read-only: changes are desk actions).
DESK_FIELDS = (
    "article_link",
    "reply_to",
    "feedback_point",
    "name",
    "email",
    "user",
    "text",
    "status",
    "held_because",
    "rejection_reason",
    "history",
    "report_count",
    "reported_at",
    "is_staff_comment",
    "is_pinned",
    "ip",
    "user_agent",
    "created_at",
    "approved_at",
    "moderated_by",
)


@admin.register(Comment)
class CommentAdmin(DeskViews, admin.ModelAdmin):
    list_display = [
        "excerpt",
        "article_link",
        "reply_to",
        "held_because",
        "author",
        "history",
        "status",
        "report_count",
        "created_at",
    ]
    list_filter = [QueueFilter, "status", "is_staff_comment", "is_pinned", "created_at"]
    search_fields = ["text", "name", "email", "article__headline"]
    list_select_related = ["article", "parent"]
    list_per_page = 50
    date_hierarchy = "created_at"
    actions = ["approve", "reject", "mark_spam", "ban_addresses", "pin", "unpin"]
    change_form_template = "admin/comments/comment/change_form.html"
    change_list_template = "admin/comments/comment/change_list.html"
    fields = DESK_FIELDS
    readonly_fields = DESK_FIELDS

    def changelist_view(self, request, extra_context=None):
        # The desk opens on the Pending queue.
        if not request.GET and request.method == "GET":
            return HttpResponseRedirect(f"{request.path}?queue=pending")
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article", "parent", "feedback_point", "user", "moderated_by")
            .annotate(
                approved_by_address=_history_subquery(Comment.Status.APPROVED),
                rejected_by_address=_history_subquery(Comment.Status.REJECTED),
                spam_by_address=_history_subquery(Comment.Status.SPAM),
            )
        )

    # Readers' addresses and connection data are for the moderation desk only;
    # editors who may just pin comments see name and text.
    PERSONAL_FIELDS = ("email", "ip", "user_agent")

    def get_fields(self, request, obj=None):
        if self.has_moderate_permission(request):
            return self.fields
        return [f for f in self.fields if f not in self.PERSONAL_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_list_display(self, request):
        if self.has_moderate_permission(request):
            return self.list_display
        return [("author_name" if f == "author" else f) for f in self.list_display]

    def get_search_fields(self, request):
        if self.has_moderate_permission(request):
            return self.search_fields
        return [f for f in self.search_fields if f != "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The comment page is read-only: every change is a desk action with its own
        # button, so the page has no "Sichern" (a save that could change nothing).
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_pin_permission(self, request):
        return request.user.has_perm("comments.pin_comment")

    @admin.display(description=_("Kommentar"))
    def excerpt(self, obj):
        return format_html("<bdi>{}</bdi>", obj.text[:120] + ("…" if len(obj.text) > 120 else ""))

    @admin.display(description=pgettext_lazy("singular", "Artikel"), ordering="article__headline")
    def article_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.article.get_absolute_url(),
            obj.article.headline,
        )

    @admin.display(description=_("Antwort auf"))
    def reply_to(self, obj):
        if not obj.parent_id:
            return "—"
        parent = obj.parent
        return format_html("<em><bdi>{}</bdi></em>: <bdi>{}</bdi>", parent.name, parent.text[:80])

    @admin.display(description=_("Warum geprüft"))
    def held_because(self, obj):
        if not obj.moderation_reasons:
            return "—"
        return format_html_join(", ", "{}", ((reason_label(r),) for r in obj.moderation_reasons))

    @admin.display(description=_("Autor"), ordering="name")
    def author(self, obj):
        return format_html("<bdi>{}</bdi><br><small>{}</small>", obj.name, obj.email)

    @admin.display(description=_("Autor"), ordering="name")
    def author_name(self, obj):
        return format_html("<bdi>{}</bdi>", obj.name)

    @admin.display(description=_("Bisher von dieser Adresse"))
    def history(self, obj):
        approved = getattr(obj, "approved_by_address", None)
        if approved is None:  # change view of a single object
            counts = (
                Comment.objects.filter(email=obj.email)
                .exclude(email="")
                .aggregate(
                    a=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
                    r=Count("pk", filter=Q(status=Comment.Status.REJECTED)),
                    s=Count("pk", filter=Q(status=Comment.Status.SPAM)),
                )
            )
            approved, rejected, spam = counts["a"], counts["r"], counts["s"]
        else:
            rejected, spam = obj.rejected_by_address, obj.spam_by_address
        return _("%(a)s freigegeben, %(r)s abgelehnt, %(s)s Spam") % {
            "a": approved,
            "r": rejected,
            "s": spam,
        }

    # --- Actions: each calls a service --------------------------------------

    def _each(self, request, queryset, func, done_message: Callable[[int], str]):
        """Run ``func`` on each comment; ``done_message(count)`` says how many (ngettext)."""
        count = 0
        for comment in queryset:
            try:
                func(comment)
            except PermissionDenied as exc:  # a review its first moderator may not decide
                self.message_user(request, f"{comment}: {exc}", messages.ERROR)
                continue
            count += 1
        self.message_user(request, done_message(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Freigeben"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda c: services.comment_approve(comment=c, actor=request.user),
            lambda n: ngettext(
                "%(count)s Kommentar freigegeben.", "%(count)s Kommentare freigegeben.", n
            ),
        )

    @admin.action(description=_("Als Spam markieren"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda c: services.comment_mark_spam(comment=c, actor=request.user),
            lambda n: ngettext(
                "%(count)s Kommentar als Spam markiert.",
                "%(count)s Kommentare als Spam markiert.",
                n,
            ),
        )

    @admin.action(description=_("Hervorheben"), permissions=["pin"])
    def pin(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda c: services.comment_pin(comment=c, actor=request.user, pinned=True),
            lambda n: ngettext(
                "%(count)s Kommentar hervorgehoben.", "%(count)s Kommentare hervorgehoben.", n
            ),
        )

    @admin.action(description=_("Nicht mehr hervorheben"), permissions=["pin"])
    def unpin(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda c: services.comment_pin(comment=c, actor=request.user, pinned=False),
            lambda n: ngettext(
                "%(count)s Kommentar nicht mehr hervorgehoben.",
                "%(count)s Kommentare nicht mehr hervorgehoben.",
                n,
            ),
        )

    @admin.action(description=_("Adressen sperren"), permissions=["moderate"])
    def ban_addresses(self, request, queryset):
        emails = sorted({c.email for c in queryset if c.email})
        for email in emails:
            services.ban_address(email=email, actor=request.user, reason=str(_("Moderation")))
        self.message_user(
            request,
            ngettext("%(n)s Adresse gesperrt.", "%(n)s Adressen gesperrt.", len(emails))
            % {"n": len(emails)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ablehnen (mit Grund) …"), permissions=["moderate"])
    def reject(self, request, queryset):
        """Intermediate page: a reason is required; it can be mailed to the author."""
        if "apply" in request.POST:
            form = RejectForm(request.POST)
            if form.is_valid():
                self._each(
                    request,
                    queryset,
                    lambda c: services.comment_reject(
                        comment=c,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        ground=form.cleaned_data["ground"],
                    ),
                    lambda n: ngettext(
                        "%(count)s Kommentar abgelehnt.", "%(count)s Kommentare abgelehnt.", n
                    ),
                )
                return None
        else:
            form = RejectForm()
        return TemplateResponse(
            request,
            "admin/comments/comment/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Kommentare ablehnen"),
                "form": form,
                "adminform": reject_adminform(form),
                "comments": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # --- One-click buttons on the change page --------------------------------

    def get_urls(self):
        return [
            *self.desk_urls(),
            path(
                "<int:pk>/moderieren/<str:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name="comments_comment_moderate",
            ),
            *super().get_urls(),
        ]

    def moderate_view(self, request, pk: int, action: str):
        if request.method != "POST":
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        needs = "pin" if action in ("pin", "unpin") else "moderate"
        if not getattr(self, f"has_{needs}_permission")(request):
            raise PermissionDenied
        if action not in ("approve", "spam", "ban", "pin", "unpin", "reject"):
            raise PermissionDenied
        try:
            self._moderate(request, comment, action)
        except PermissionDenied as exc:  # the first moderator of a review under way
            self.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:comments_comment_change", args=[pk]))

    def _moderate(self, request, comment: Comment, action: str) -> None:
        if action == "approve":
            services.comment_approve(comment=comment, actor=request.user)
            self.message_user(request, _("Kommentar freigegeben."), messages.SUCCESS)
        elif action == "spam":
            services.comment_mark_spam(comment=comment, actor=request.user)
            self.message_user(request, _("Kommentar als Spam markiert."), messages.SUCCESS)
        elif action == "ban":
            services.ban_address(
                email=comment.email,
                actor=request.user,
                reason=str(_("Moderation")),
                ip=comment.ip if request.POST.get("ip") else None,
            )
            self.message_user(request, _("Adresse gesperrt."), messages.SUCCESS)
        elif action in ("pin", "unpin"):
            services.comment_pin(comment=comment, actor=request.user, pinned=action == "pin")
            self.message_user(request, _("Gespeichert."), messages.SUCCESS)
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                self.message_user(
                    request, _("Bitte geben Sie einen Grund für die Ablehnung an."), messages.ERROR
                )
            else:
                try:
                    services.comment_reject(
                        comment=comment,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        ground=form.cleaned_data["ground"],
                    )
                    self.message_user(request, _("Kommentar abgelehnt."), messages.SUCCESS)
                except ValidationError as exc:
                    self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def render_change_form(self, request, context, *args, **kwargs):
        context["reject_adminform"] = reject_adminform(RejectForm(), title=_("Ablehnen"))
        context["can_moderate"] = self.has_moderate_permission(request)
        context["can_pin"] = self.has_pin_permission(request)
        obj = context.get("original")
        if obj is not None:
            context["notices"] = obj.notices.all()
            context["decisions"] = obj.decisions.select_related("actor")
            context["open_review"] = obj.reviews.filter(decided_at__isnull=True).first()
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "note", "created_at"]
    list_filter = ["reason", "created_at"]
    list_select_related = ["comment"]
    readonly_fields = ["comment", "reason", "note", "created_at"]
    exclude = ["ip_hash"]

    def has_add_permission(self, request):
        return False


class _ReadOnlyRecords(admin.ModelAdmin):
    """Records of the DSA workflow: written by services only, read by moderators."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Von"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Bis"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("Der Beginn liegt nach dem Ende."))
        return data


@admin.register(Notice)
class NoticeAdmin(_ReadOnlyRecords):
    change_list_template = "admin/comments/notice/change_list.html"
    list_display = ["created_at", "ground_label", "comment_link", "name", "outcome", "decided_at"]
    list_filter = ["outcome", "ground", "created_at"]
    list_select_related = ["comment"]
    search_fields = ["explanation", "name", "email"]
    date_hierarchy = "created_at"

    @admin.display(description=_("Grund"), ordering="ground")
    def ground_label(self, obj):
        return obj.ground_label

    def get_urls(self):
        return [
            path(
                "transparenz/",
                self.admin_site.admin_view(self.transparency_view),
                name="comments_notice_transparency",
            ),
            *super().get_urls(),
        ]

    def transparency_view(self, request):
        """The transparency report for a period: a table, or CSV with ``?format=csv``."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        first_of_month = today.replace(day=1)
        last_month_end = first_of_month - timedelta(days=1)
        form = PeriodForm(
            request.GET or None,
            initial={"start": last_month_end.replace(day=1), "end": last_month_end},
        )
        if request.GET and form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        else:
            start, end = last_month_end.replace(day=1), last_month_end
        report = transparency_report(start=start, end=end)
        if request.GET.get("format") == "csv":
            response = HttpResponse(report.as_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="transparenz-{start.isoformat()}-{end.isoformat()}.csv"'
            )
            return response
        return TemplateResponse(
            request,
            "admin/comments/notice/transparency.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Transparenzbericht (DSA)"),
                "opts": self.model._meta,
                "form": form,
                "report": report,
                "notice_rows": [
                    (grounds.ground(code).label, n) for code, n in report.notices_by_ground.items()
                ],
                "kind_rows": [
                    (ModerationDecision.Kind(kind).label, n)
                    for kind, n in report.decisions_by_kind.items()
                ],
                "removal_rows": [
                    (grounds.ground(code).label, n)
                    for code, n in report.removals_by_ground.items()
                    if n
                ],
                "automated_percent": report.automated_share * 100,
                "csv_query": f"start={start.isoformat()}&end={end.isoformat()}&format=csv",
            },
        )

    @admin.display(description=_("Kommentar"))
    def comment_link(self, obj):
        if obj.comment_id is None:
            return "—"
        return format_html(
            '<a href="{}"><bdi>{}</bdi></a>',
            reverse("admin:comments_comment_change", args=[obj.comment_id]),
            str(obj.comment),
        )


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(_ReadOnlyRecords):
    list_display = ["created_at", "kind", "automated", "ground", "comment", "actor"]
    list_filter = ["kind", "automated", "ground", "created_at"]
    list_select_related = ["comment", "actor"]
    date_hierarchy = "created_at"


@admin.register(ReviewRequest)
class ReviewRequestAdmin(_ReadOnlyRecords):
    list_display = ["created_at", "comment", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome", "created_at"]
    list_select_related = ["comment", "decided_by"]
