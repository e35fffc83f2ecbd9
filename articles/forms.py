"""Admin forms: the article form with its edit-conflict check, workflow and image forms."""

from __future__ import annotations

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget

from articles.images import ImageUploadField
from articles.models import Article, Image
from articles.services import EditConflict
from articles.slugs import unique_slug
from articles.tags import validate_tag_name
from core.richtext import RichTextFormField


class ArticleAdminForm(forms.ModelForm):
    # The version the editor opened; a stale one means someone else saved meanwhile.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = list(Article.CONTENT_FIELDS)
        # CKEditor's serialisation of an unchanged body is not an edit (core.richtext).
        field_classes = {"body": RichTextFormField}
        widgets = {
            "body": CKEditorUploadingWidget(),
            "lead": forms.Textarea(attrs={"rows": 3}),
            # Taggit's widget: it renders the tags as "Landtag, Verwaltung" (names with
            # spaces quoted), which its field parses back to the same names. A plain
            # TextInput rendered the Python list "[<Tag: Landtag>]" and saved it as tags.
            "tags": TagWidget(attrs={"class": "vTextField js-tag-suggest", "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version
        if "tags" in self.fields:
            self.fields["tags"].widget.attrs["data-suggest-url"] = reverse(
                "admin:articles_tag_suggest"
            )
        if "language" in self.fields and self.is_bound and "language" not in self.data:
            # A form sent without the field (scripts, older pages) keeps the article's
            # language and does not count as a change.
            self.data = self.data.copy()
            self.data["language"] = self.instance.language
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Leer lassen: wird aus der Überschrift gebildet (ä → ae, ß → ss)."
            )

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        errors = []
        for name in names:
            try:
                validate_tag_name(name)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return names

    def clean_slug(self) -> str:
        """A slug another article has is not refused: the form offers a free one.

        The field shows the suggestion (``-2``, ``-3``, ...) with a note; saving
        again uses it. Slugs are unique across all articles (the URL has no date).
        """
        slug = self.cleaned_data.get("slug") or ""
        if not slug:
            return slug
        taken = Article.objects.filter(slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if not taken.exists():
            return slug
        free = unique_slug(slug, queryset=Article.objects.all(), exclude_pk=self.instance.pk)
        self.data = self.data.copy()
        self.data[self.add_prefix("slug")] = free
        raise ValidationError(
            _(
                "Das Kürzel „%(taken)s“ hat schon ein anderer Artikel. Vorschlag: "
                "„%(free)s“ (steht jetzt im Feld) – speichern Sie erneut, um ihn zu übernehmen."
            ),
            code="slug_taken",
            params={"taken": slug, "free": free},
        )

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("headline"):
            # Server-side fill, the same German transliteration as the admin script.
            cleaned["slug"] = unique_slug(
                cleaned["headline"], queryset=Article.objects.all(), exclude_pk=self.instance.pk
            )
            self.instance.slug = cleaned["slug"]
        if self.instance.pk:
            self._check_edit_conflict(cleaned.get("edit_version"))
        return cleaned

    def _check_edit_conflict(self, expected: int | None) -> None:
        current = Article.objects.select_related("updated_by").get(pk=self.instance.pk)
        if expected is None or expected == current.version:
            return
        conflict = EditConflict(
            article=current, changed_by=current.updated_by, expected_version=expected
        )
        # Saving again now overwrites deliberately: the editor has seen the message.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = str(current.version)
        raise ValidationError(
            format_html(
                '{} <a href="{}" target="_blank" rel="noopener">{}</a> {}',
                conflict.messages[0],
                conflict.diff_url,
                _("Unterschiede ansehen"),
                _("Wenn Sie erneut speichern, ersetzen Sie die andere Fassung durch Ihre."),
            ),
            code="edit_conflict",
        )


class WorkflowForm(forms.Form):
    """Confirmation of one workflow step, with the fields that step needs."""

    note = forms.CharField(
        label=_("Notiz"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action == "publish":
            self.fields["go_live_at"] = forms.SplitDateTimeField(
                label=_("Veröffentlichen ab"),
                required=False,
                widget=AdminSplitDateTime,
                help_text=_("Leer: sofort. Ein Zeitpunkt in der Zukunft plant den Artikel."),
            )
            self.fields["expires_at"] = forms.SplitDateTimeField(
                label=_("Ablauf"),
                required=False,
                widget=AdminSplitDateTime,
                help_text=_("Optional: danach sehen Leser den Artikel nicht mehr."),
            )
        if action == "submit":
            # The time the author aims at: the planning view shows the article there.
            self.fields["target_at"] = forms.SplitDateTimeField(
                label=_("Gewünscht online ab"),
                required=False,
                widget=AdminSplitDateTime,
                help_text=_("Optional: wann der Artikel erscheinen soll (Planung)."),
            )
        if action == "send_back":
            self.fields["note"].label = _("Grund")
            self.fields["note"].required = True


class WorkflowStepForm(WorkflowForm):
    """The workflow panel of the article change form.

    Its buttons submit the whole change form with ``_workflow=<action>``: the
    admin saves the edits and then runs the step, in one transaction. Unbound
    (only shown), it offers the fields of every step the user may take.
    """

    prefix = "workflow"

    def __init__(
        self,
        *args,
        action: str | None,
        offer_schedule: bool = False,
        offer_target: bool = False,
        **kwargs,
    ):
        shown = "publish" if offer_schedule else ("submit" if offer_target else "")
        super().__init__(*args, action=action or shown, **kwargs)
        if action is None:
            self.fields["note"].label = _("Notiz")
            self.fields["note"].help_text = _(
                "Steht im Verlauf unten. Zurückweisen braucht sie als Grund für die Autoren."
            )


class ImageAdminForm(forms.ModelForm):
    file = ImageUploadField(
        label=_("Datei"),
        help_text=_("JPEG, PNG, WebP oder AVIF. Ortsangaben und Kameradaten werden entfernt."),
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "focal_x", "focal_y"]
