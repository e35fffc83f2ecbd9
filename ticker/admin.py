"""The ticker admin: start a ticker on an article, then a compact page per ticker
with the entry form beside the entry list (add, correct, approve, remove) —
without opening the whole article form. Every write calls ``ticker.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.parsing import parse_int
from ticker import services
from ticker.forms import EntryForm
from ticker.models import BreakingNews, Ticker, TickerEntry


@admin.register(Ticker)
class TickerAdmin(admin.ModelAdmin):
    list_display = ["headline", "state", "entry_count", "started_at", "ended_at"]
    list_select_related = ["article"]
    search_fields = ["article__headline"]
    autocomplete_fields = ["article"]
    fields = ["article", "started_at"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=gettext_lazy("Artikel"), ordering="article__headline")
    def headline(self, obj: Ticker) -> str:
        return obj.article.headline

    @admin.display(description=gettext_lazy("Status"), ordering="ended_at")
    def state(self, obj: Ticker) -> str:
        return (
            format_html('<span class="live-badge">{}</span>', "LIVE")
            if obj.is_running
            else _("beendet")
        )

    @admin.display(description=gettext_lazy("Einträge"), ordering="entry_count")
    def entry_count(self, obj: Any) -> int:
        return int(obj.entry_count)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change page is the entry desk: whoever may add entries opens it.
        return request.user.has_perm("ticker.add_tickerentry")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a ticker ends with a closing entry; its article is archived instead

    def save_model(self, request: HttpRequest, obj: Ticker, form: Any, change: bool) -> None:
        services.ticker_start(user=request.user, article=obj.article, started_at=obj.started_at)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The entry desk of one ticker (see the module docstring)."""
        ticker = get_object_or_404(
            Ticker.objects.select_related("article", "article__section"),
            pk=parse_int(object_id, minimum=1) or 0,
        )
        if not self.has_change_permission(request, ticker):
            raise PermissionDenied
        entries = TickerEntry.objects.filter(ticker=ticker).select_related("created_by", "image")
        editing = None
        raw = request.POST.get("entry") or request.GET.get("korrigieren")
        if raw:
            editing = get_object_or_404(entries, pk=parse_int(raw, minimum=1) or 0)
        if request.method == "POST":
            response, form = self._post(request, ticker, editing)
            if response is not None:
                return response
        else:
            form = EntryForm.for_entry(editing) if editing else EntryForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Liveticker: %(headline)s") % {"headline": ticker.article.headline},
            "ticker": ticker,
            "original": ticker,
            "entries": entries,
            "form": form,
            "media": self.media + form.media,
            "editing": editing,
            "can_publish": services.can_publish_entries(request.user),
            "reader_url": ticker.article.get_absolute_url(),
            "article_url": reverse("admin:articles_article_change", args=[ticker.pk]),
            "self_url": reverse("admin:ticker_ticker_change", args=[ticker.pk]),
        }
        for entry in entries:
            entry.may_change = services.can_change_entry(request.user, entry)  # type: ignore[attr-defined]
            entry.may_remove = services.can_remove_entry(request.user, entry)  # type: ignore[attr-defined]
        return TemplateResponse(request, "admin/ticker/ticker/entries.html", context)

    def _post(
        self, request: HttpRequest, ticker: Ticker, editing: TickerEntry | None
    ) -> tuple[HttpResponse | None, EntryForm]:
        """Run the posted action: a redirect back on success, else the form to show again."""
        action = request.POST.get("action", "")
        back = HttpResponseRedirect(reverse("admin:ticker_ticker_change", args=[ticker.pk]))
        # A correction compares with the entry (an unchanged time keeps its microseconds).
        initial = EntryForm.initial_for(editing) if editing is not None else None
        form = EntryForm(request.POST, initial=initial)
        try:
            if action in {"remove", "publish"} and editing is not None:
                if action == "remove":
                    services.entry_remove(user=request.user, entry=editing)
                    messages.success(request, _("Eintrag entfernt."))
                else:
                    services.entry_publish(user=request.user, entry=editing)
                    messages.success(request, _("Eintrag freigegeben."))
                return back, EntryForm()
            if action not in {"add", "correct"} or not form.is_valid():
                return None, form
            data = form.cleaned_data
            fields = {
                "body": data["body"],
                "time": data["time"],
                "image": data["image"],
                "key_event": data["key_event"],
                "pinned": data["pinned"],
                "closing": data["closing"],
            }
            if action == "correct" and editing is not None:
                services.entry_correct(user=request.user, entry=editing, **fields)
                messages.success(request, _("Eintrag korrigiert."))
            else:
                entry = services.entry_add(user=request.user, ticker=ticker, **fields)
                if entry.status == TickerEntry.Status.PUBLISHED:
                    messages.success(request, _("Eintrag veröffentlicht."))
                else:
                    messages.info(
                        request, _("Eintrag gespeichert; er erscheint nach der Freigabe.")
                    )
            return back, form
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
            return None, form


class TickerInline(admin.StackedInline):
    """On the article form of a ticker only: where its entries are written (read-only;
    a ticker is started under Liveticker → hinzufügen, entries go through the desk)."""

    model = Ticker
    fields = ["desk", "started_at", "ended_at"]
    readonly_fields = ("desk", "started_at", "ended_at")
    extra = 0
    can_delete = False
    show_on_add = False  # an article becomes a ticker after it exists (articles.extensions)

    @admin.display(description=gettext_lazy("Einträge"))
    def desk(self, obj: Ticker) -> str:
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:ticker_ticker_change", args=[obj.pk]),
            _("Zum Liveticker (Einträge schreiben)"),
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Shown on the form of an article that is a ticker, to whoever may see tickers
        # (Django asks without ``obj`` for the inline's queryset, with the article for
        # whether to show the inline at all).
        if not request.user.has_perm("ticker.view_ticker"):
            return False
        return obj is None or Ticker.objects.filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """Set a banner (it replaces the one shown) and clear it; purges every page at once."""

    list_display = ["text", "url", "active", "created_at", "cleared_at", "created_by"]
    list_filter = ["active"]
    fields = ["text", "url"]
    actions = ["clear"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a new banner replaces the old one; texts are not edited afterwards

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the history stays (audit)

    def save_model(self, request: HttpRequest, obj: BreakingNews, form: Any, change: bool) -> None:
        saved = services.breaking_news_set(user=request.user, text=obj.text, url=obj.url)
        obj.pk = saved.pk

    @admin.action(description=gettext_lazy("Eilmeldung entfernen"), permissions=["clear"])
    def clear(self, request: HttpRequest, queryset: Any) -> None:
        if services.breaking_news_clear(user=request.user):
            messages.success(request, _("Die Eilmeldung ist von allen Seiten entfernt."))

    def has_clear_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ticker.change_breakingnews")
