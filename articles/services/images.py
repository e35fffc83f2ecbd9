"""Image writes: metadata saves that rebuild renditions when the file or focus changed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Image
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
