"""Image writes: metadata saves that rebuild renditions when the file or focus changed."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, Image
from articles.services.base import User, _require
from core.audit import audit_log


def image_save(*, actor: User, image: Image, file_changed: bool) -> Image:
    """Save an image's metadata (the file is already validated by ``articles.images``).

    When the file or the focal point changed, the stored renditions are
    deleted and rebuilt by a background task (on commit). Side effect: audit entry.
    """
    perm = "articles.change_image" if image.pk else "articles.add_image"
    _require(actor, perm, _("Sie dürfen keine Bilder bearbeiten."))
    from articles.tasks import build_image_renditions

    with transaction.atomic():
        created = image.pk is None
        focus_changed = False
        if not created:
            before = Image.objects.only("focal_x", "focal_y").get(pk=image.pk)
            focus_changed = (before.focal_x, before.focal_y) != (image.focal_x, image.focal_y)
        if created and actor.is_authenticated:
            image.uploaded_by = actor
        image.full_clean()
        image.save()
        rebuild = created or file_changed or focus_changed
        if rebuild and not created:
            for rendition in image.renditions.all():
                rendition.file.delete(save=False)
                rendition.delete()
        audit_log(actor=actor, target=image, action="image.create" if created else "image.update")
        if rebuild:
            image_id = image.pk
            transaction.on_commit(lambda: build_image_renditions.enqueue(image_id=image_id))
    return image


_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r'\balt="([^"]*)"', re.I)


def images_missing_alt_text(article: Article) -> list[str]:
    """What of ``article``'s pictures lacks an alternative text: the teaser image (its
    ``alt_text``) and each ``<img>`` of the (sanitised) body. Reads only."""
    missing = []
    teaser = article.teaser_image
    if teaser is not None and not teaser.alt_text.strip():
        missing.append(
            _("Aufmacherbild „%(name)s“") % {"name": (teaser.file.name or "").rsplit("/", 1)[-1]}
        )
    for number, tag in enumerate(_IMG.findall(article.body or ""), start=1):
        alt = _ALT.search(tag)
        if alt is None or not alt.group(1).strip():
            missing.append(_("Bild %(number)s im Text") % {"number": number})
    return missing


def check_image_alt_text(article: Article) -> None:
    """Refuse publishing while a picture of ``article`` has no alternative text
    (``ValidationError`` naming them; called by ``article_publish``). No side effects."""
    missing = images_missing_alt_text(article)
    if missing:
        raise ValidationError(
            _("Alternativtext fehlt: %(images)s. Bitte vor dem Veröffentlichen ergänzen.")
            % {"images": ", ".join(missing)},
            code="alt_text_missing",
        )
