"""Feedback points: questions to a paragraph of an article, with a paragraph chooser."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from comments.models import (
    Comment,
    FeedbackPoint,
)
from comments.selectors import article_paragraphs


class FeedbackPointForm(forms.ModelForm):
    """Chooses a paragraph of the article's body; stores its text as the quoted passage."""

    paragraphs: list[str] = []

    class Meta:
        model = FeedbackPoint
        fields = ["article", "paragraph_index", "question", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = getattr(self.instance, "article", None) if self.instance.article_id else None
        paragraphs = self.paragraphs or (article_paragraphs(article.body) if article else [])
        if paragraphs:
            self.fields["paragraph_index"] = forms.TypedChoiceField(
                label=_("Absatz"),
                coerce=int,
                choices=[(i, f"{i + 1}: {p[:90]}") for i, p in enumerate(paragraphs)],
            )

    def clean(self):
        data = super().clean() or self.cleaned_data
        article = data.get("article") or getattr(self, "parent_article", None)
        index = data.get("paragraph_index")
        if article is not None and index is not None:
            paragraphs = article_paragraphs(article.body)
            if index >= len(paragraphs):
                raise ValidationError(
                    _("Der Artikel hat nur %(n)s Absätze.") % {"n": len(paragraphs)}
                )
            self.instance.passage = paragraphs[index]
        return data


class FeedbackPointInline(admin.TabularInline):
    """For the article admin: inline feedback points with a paragraph chooser."""

    model = FeedbackPoint
    form = FeedbackPointForm
    fields = ["paragraph_index", "question", "is_active"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        paragraphs = article_paragraphs(obj.body) if obj is not None else []
        form = type(
            "ArticleFeedbackPointForm",
            (FeedbackPointForm,),
            {"paragraphs": paragraphs, "parent_article": obj},
        )
        kwargs["form"] = form
        return super().get_formset(request, obj, **kwargs)


@admin.register(FeedbackPoint)
class FeedbackPointAdmin(admin.ModelAdmin):
    form = FeedbackPointForm
    list_display = ["question", "article", "paragraph_index", "is_active", "answer_count"]
    list_filter = ["is_active"]
    search_fields = ["question", "article__headline"]
    list_select_related = ["article"]
    readonly_fields = ["passage"]
    raw_id_fields = ["article"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_answers=Count("answers", filter=Q(answers__status=Comment.Status.APPROVED)))
        )

    @admin.display(description=_("Antworten"), ordering="n_answers")
    def answer_count(self, obj):
        return obj.n_answers
