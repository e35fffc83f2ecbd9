"""Tags (taggit's ``Tag``) with the site's slugs, and the repair of admin-mangled names.

Taggit would slug "Fußball" as ``fußball`` (its slugify keeps Unicode), which the
reader URLs and the admin script do not produce. Every tag created through an
article's tag manager (admin form, services, seed_demo, factories) or the tag
admin gets its slug from :func:`articles.slugs.german_slugify` instead
(``fussball``). Taggit's documented hook for that is the ``manager=`` class of
``TaggableManager`` (no schema change, unlike a custom tag model, which would move
the tag tables that ad targeting also points at).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from taggit.managers import _TaggableManager
from taggit.models import Tag

from articles.slugs import unique_slug

TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length
TAG_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length


def tag_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A free tag slug for ``name`` (``fussball``, ``fussball-2``, ...; ``thema`` if no letters)."""
    return unique_slug(
        name,
        queryset=Tag.objects.all(),
        max_length=TAG_SLUG_MAX_LENGTH,
        exclude_pk=exclude_pk,
        fallback="thema",
    )


def validate_tag_name(name: str) -> None:
    """A clear error for names the database would refuse (NUL, too long) or that are blank."""
    if not name.strip():
        raise ValidationError(_("Ein Schlagwort darf nicht leer sein."), code="blank")
    if "\x00" in name:
        raise ValidationError(
            _("Schlagwörter dürfen kein Nullzeichen enthalten."), code="null_characters"
        )
    if len(name) > TAG_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Ein Schlagwort hat höchstens %(max)d Zeichen (dieses hat %(length)d).")
            % {"max": TAG_NAME_MAX_LENGTH, "length": len(name)},
            code="max_length",
        )


def tag_get_or_create(name: str) -> Tag:
    """The tag named ``name``, created with the site's slug when new.

    Raises ``ValidationError`` for names the database cannot store. Side effect:
    may insert one ``taggit.Tag`` row (in the caller's transaction).
    """
    validate_tag_name(name)
    existing = Tag.objects.filter(name=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, slug=tag_slug(name))
    except IntegrityError:
        # Created meanwhile by a concurrent save (same name), or its slug was taken.
        existing = Tag.objects.filter(name=name).first()
        if existing:
            return existing
        with transaction.atomic():
            return Tag.objects.create(name=name, slug=tag_slug(name))


class ArticleTagManager(_TaggableManager):
    """Taggit's tag manager, creating new tags through :func:`tag_get_or_create`."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        tags = list(tags)
        names = [tag for tag in tags if isinstance(tag, str)]
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}  # one query
        tags = [
            existing.get(tag) or tag_get_or_create(tag) if isinstance(tag, str) else tag
            for tag in tags
        ]
        return super()._to_tag_model_instances(tags, tag_kwargs)


# The admin form once rendered the tag list as Python's repr of a list of tags:
# "[<Tag: Landtag>, <Tag: Verwaltung>]", and saving split that into junk names
# ("[<Tag: Landtag>", "<Tag: Verwaltung>]"), one level deeper with every save.
_JUNK = re.compile(r"<Tag:|^\s*\[|>\s*\]*\s*$")
_JUNK_TOKENS = re.compile(r"<Tag:|[\[\]>]")


def recovered_tag_name(name: str) -> str | None:
    """The real name inside a mangled one ("[<Tag: [<Tag: Landtag>>" -> "Landtag").

    ``None`` when ``name`` is not mangled; ``""`` when nothing real is left (the
    "[<Tag:" left over when a one-tag list was split at spaces).
    """
    if not _JUNK.search(name):
        return None
    return " ".join(_JUNK_TOKENS.sub(" ", name).split())


def tag_save(*, tag: Tag, previous_slug: str | None) -> Tag:
    """Save ``tag`` (filling an empty slug); a changed slug keeps answering as a redirect.

    Side effects: writes the tag; records ``previous_slug`` as an ``OldTagSlug``
    (``/thema/<old>/`` answers 301) and drops an old-slug entry the new slug reuses.
    """
    from articles.models import OldTagSlug

    validate_tag_name(tag.name)
    if not tag.slug:
        tag.slug = tag_slug(tag.name, exclude_pk=tag.pk)
    with transaction.atomic():
        tag.save()
        OldTagSlug.objects.filter(old_slug=tag.slug).delete()
        if previous_slug and previous_slug != tag.slug:
            OldTagSlug.objects.update_or_create(old_slug=previous_slug, defaults={"tag": tag})
    return tag
