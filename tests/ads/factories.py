"""Factories for ads tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from ads.models import Advertiser, Campaign, Creative, Slot
from tests.factories import make_image_bytes


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot
        django_get_or_create = ("code",)

    code = "article_top"
    name = factory.LazyAttribute(lambda o: f"Platz {o.code}")
    page_types = factory.LazyFunction(list)
    position = Slot.Position.TOP
    mobile_width = 320
    mobile_height = 100
    desktop_width = 728
    desktop_height = 90


class AdvertiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advertiser
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Werbekunde {n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    advertiser = factory.SubFactory(AdvertiserFactory)
    name = factory.Sequence(lambda n: f"Kampagne {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = None
    priority = Campaign.Priority.STANDARD
    weight = 10

    @factory.post_generation
    def slots(self, create, extracted, **kwargs):
        if create and extracted:
            self.slots.set(extracted)

    @factory.post_generation
    def target_sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_sections.set(extracted)

    @factory.post_generation
    def target_tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_tags.set(extracted)


class CreativeFactory(factory.django.DjangoModelFactory):
    """A text ad by default; ``CreativeFactory(image=True)`` / ``(html=True)`` for the others."""

    class Meta:
        model = Creative

    class Params:
        image_ad = factory.Trait(
            kind=Creative.Kind.IMAGE,
            image=factory.LazyFunction(
                lambda: ContentFile(make_image_bytes(728, 90, "PNG"), name="banner.png")
            ),
            alt_text="Ein blaues Werbebanner",
        )
        html_ad = factory.Trait(
            kind=Creative.Kind.HTML,
            html='<script src="https://ads.example/tag.js"></script><a href="%%CLICK_URL%%">Los</a>',
        )

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Werbemittel {n}")
    kind = Creative.Kind.TEXT
    headline = "Frische Brötchen"
    text = "Jeden Morgen ab sechs Uhr."
    click_url = "https://baeckerei.example/angebot"
