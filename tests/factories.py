"""factory_boy factories shared by all tests."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Agency, Article, ArticleAuthor, Author, Image, Section


def make_image_bytes(
    width: int = 1600, height: int = 900, fmt: str = "JPEG", color=(30, 90, 150)
) -> bytes:
    """A real image made by Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


def staff_member(username: str, group: str | None = None, **extra):
    """A saved staff account, in one role group (the groups come from the roles migration).

    The one way tests make role users: the fixtures in tests/conftest.py, the browser
    journeys and the transactional tests (after ``sync_roles()``) call it.
    """
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, is_staff=True, **extra)
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Ressort {n}")
    slug = factory.Sequence(lambda n: f"ressort-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("credit",)

    name = "Deutsche Presse-Agentur"
    credit = "dpa"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Autorin {n}")
    slug = factory.Sequence(lambda n: f"autorin-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(lambda: ContentFile(make_image_bytes(), name="bild.jpg"))
    alt_text = "Ein blaues Testbild"
    caption = "Testbild"
    credit = "Foto: Redaktion"


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft by default; ``ArticleFactory(published=True)`` is visible to readers."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            go_live_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
            first_published_at=factory.SelfAttribute("go_live_at"),
        )

    kicker = "Testlage"
    headline = factory.Sequence(lambda n: f"Schlagzeile Nummer {n}")
    slug = factory.Sequence(lambda n: f"schlagzeile-nummer-{n}")
    lead = "Ein kurzer Vorspann, der die Nachricht in einem Satz zusammenfasst."
    body = "<p>Erster Absatz des Textes.</p><p>Zweiter Absatz des Textes.</p>"
    section = factory.SubFactory(SectionFactory)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for position, author in enumerate(extracted):
            ArticleAuthor.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
