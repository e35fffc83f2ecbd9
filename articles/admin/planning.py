"""The planning view of the article admin: a week or a day of go-lives, expiries and
articles in review, filtered by section and author; editors reschedule and publish
from it (through ``services.article_reschedule`` / ``services.article_transition``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import desk, services
from articles.admin.base import ArticleAdminBase
from articles.models import Author, Section


class PlanningFilterForm(forms.Form):
    tag = forms.DateField(
        label=gettext_lazy("Datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    ansicht = forms.ChoiceField(
        label=gettext_lazy("Ansicht"),
        choices=[("woche", gettext_lazy("Woche")), ("tag", gettext_lazy("Tag"))],
        required=False,
    )
    ressort = forms.ModelChoiceField(
        label=gettext_lazy("Ressort"), queryset=Section.objects.all(), required=False
    )
    autor = forms.ModelChoiceField(
        label=gettext_lazy("Autor"), queryset=Author.objects.all(), required=False
    )


class RescheduleForm(forms.Form):
    """A new go-live time: date and time apart (narrow calendar columns), newsroom time."""

    datum = forms.DateField(
        label=gettext_lazy("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    zeit = forms.TimeField(
        label=gettext_lazy("Uhrzeit"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
    )

    def go_live_at(self) -> datetime:
        return datetime.combine(
            self.cleaned_data["datum"],
            self.cleaned_data["zeit"],
            tzinfo=timezone.get_current_timezone(),
        )


class ArticlePlanningViews(ArticleAdminBase):
    """Planning pages (URLs in ``ArticleAdmin.get_urls``)."""

    def planning_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PlanningFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        day: date = data.get("tag") or timezone.localdate()
        view = data.get("ansicht") or "woche"
        if view == "tag":
            first, days = day, 1
        else:
            first, days = day - timedelta(days=day.weekday()), 7
        tz = timezone.get_current_timezone()
        start = datetime.combine(first, time.min, tzinfo=tz)
        end = datetime.combine(first + timedelta(days=days), time.min, tzinfo=tz)
        entries = desk.planning_entries(
            user=request.user,
            start=start,
            end=end,
            section_id=data["ressort"].pk if data.get("ressort") else None,
            author_id=data["autor"].pk if data.get("autor") else None,
        )
        columns = []
        for offset in range(days):
            current = first + timedelta(days=offset)
            columns.append(
                (
                    current,
                    [e for e in entries if timezone.localtime(e.at).date() == current],
                )
            )
        params = {k: v for k, v in request.GET.items() if k != "tag"}
        step = timedelta(days=days)
        can_plan = request.user.has_perm("articles.publish_article")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Planung"),
            "filter_form": form if form.is_bound else PlanningFilterForm(),
            "columns": columns,
            "view": view,
            "today": timezone.localdate(),
            "previous_url": "?" + urlencode({**params, "tag": (first - step).isoformat()}),
            "next_url": "?" + urlencode({**params, "tag": (first + step).isoformat()}),
            "today_url": "?" + urlencode({**params, "tag": timezone.localdate().isoformat()}),
            "can_plan": can_plan,
            "reschedule_form": RescheduleForm(),
            "back": request.get_full_path(),
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/articles/article/planning.html", context)

    def planning_reschedule_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        form = RescheduleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Bitte einen gültigen Zeitpunkt angeben."))
        else:
            try:
                services.article_reschedule(
                    actor=request.user, article=article, go_live_at=form.go_live_at()
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("„%(headline)s“ verschoben.") % {"headline": article.headline},
                )
        return redirect(_back(request))

    def planning_publish_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        try:
            services.article_transition(actor=request.user, article=article, action="publish")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("„%(headline)s“ veröffentlicht.") % {"headline": article.headline}
            )
        return redirect(_back(request))


def _back(request) -> str:
    back = request.POST.get("back", "")
    planning = reverse("admin:articles_article_planning")
    # Only back to the planning page itself (no open redirect).
    return back if back.startswith(planning) else planning
