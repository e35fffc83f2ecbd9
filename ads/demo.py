"""Demo ads for ``seed_demo``: slots for every code, a few advertisers, campaigns and
creatives (Pillow-generated banners and a text ad). Idempotent: running it again
changes nothing that exists."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from ads.models import Advertiser, Campaign, Creative, PageType, Slot
from core.demo_fonts import demo_font

SLOTS = [
    # code, name, page types, position, after_n, mobile w/h, desktop w/h, fallback
    ("home_top", "Startseite oben", [PageType.HOME], "top", 0, (320, 100), (970, 250), "house"),
    (
        "section_list",
        "Ressort zwischen Einträgen",
        [PageType.SECTION],
        "list",
        5,
        (300, 250),
        (728, 90),
        "collapse",
    ),
    ("search_top", "Suche oben", [PageType.SEARCH], "top", 0, (320, 100), (728, 90), "collapse"),
    ("article_top", "Artikel oben", [PageType.ARTICLE], "top", 0, (320, 100), (728, 90), "house"),
    (
        "article_inline",
        "Artikel im Text",
        [PageType.ARTICLE],
        "inline",
        3,
        (300, 250),
        (300, 250),
        "collapse",
    ),
    (
        "article_sidebar",
        "Artikel Seitenleiste",
        [PageType.ARTICLE],
        "sidebar",
        0,
        (300, 250),
        (300, 600),
        "house",
    ),
    (
        "article_bottom",
        "Artikel unten",
        [PageType.ARTICLE],
        "below",
        0,
        (320, 100),
        (728, 90),
        "house",
    ),
]


def banner_bytes(width: int, height: int, text: str, color: tuple[int, int, int]) -> bytes:
    """A PNG banner drawn by Pillow with ``text`` centred on it."""
    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    size = max(12, min(height // 3, width // max(len(text), 1) * 2))
    font = demo_font(size)
    box = draw.textbbox((0, 0), text, font=font)
    while box[2] - box[0] > width - 24 and size > 8:  # keep 12 px clear at each side
        size -= 1
        font = demo_font(size)
        box = draw.textbbox((0, 0), text, font=font)
    x = (width - (box[2] - box[0])) / 2 - box[0]
    y = (height - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), text, fill=(255, 255, 255), font=font)
    draw.rectangle((0, 0, width - 1, height - 1), outline=(255, 255, 255), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _image_creative(campaign, name, alt, url, text, color, size, mobile_size=None):
    creative, created = Creative.objects.get_or_create(
        campaign=campaign,
        name=name,
        defaults={"kind": Creative.Kind.IMAGE, "alt_text": alt, "click_url": url},
    )
    if created:
        creative.image.save(
            f"{name.lower().replace(' ', '-')}.png",
            ContentFile(banner_bytes(*size, text, color)),
            save=False,
        )
        if mobile_size:
            creative.image_mobile.save(
                f"{name.lower().replace(' ', '-')}-mobil.png",
                ContentFile(banner_bytes(*mobile_size, text, color)),
                save=False,
            )
        creative.full_clean()
        creative.save()
    return creative, created


@transaction.atomic
def seed_demo_ads(stdout=None, verbosity: int = 1) -> None:
    """Create the demo slots, advertisers, campaigns and creatives if they are missing."""
    created_count = 0
    slots = {}
    for code, name, page_types, position, after_n, mobile, desktop, fallback in SLOTS:
        slot, created = Slot.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "page_types": [str(p) for p in page_types],
                "position": position,
                "after_n": after_n,
                "mobile_width": mobile[0],
                "mobile_height": mobile[1],
                "desktop_width": desktop[0],
                "desktop_height": desktop[1],
                "fallback": fallback,
            },
        )
        slots[code] = slot
        created_count += created

    start = timezone.now() - timedelta(days=1)
    bike, c1 = Advertiser.objects.get_or_create(
        name="Radhaus Elbufer", defaults={"contact_email": "werbung@radhaus.example"}
    )
    cloud, c2 = Advertiser.objects.get_or_create(
        name="Wolkenwerk Hosting", defaults={"contact_email": "ads@wolkenwerk.example"}
    )
    house, c3 = Advertiser.objects.get_or_create(name="newsroom (Eigenwerbung)")
    created_count += c1 + c2 + c3

    spring, created = Campaign.objects.get_or_create(
        advertiser=bike,
        name="Frühjahrsaktion Lastenräder",
        defaults={"starts_at": start, "ends_at": start + timedelta(days=90), "weight": 20},
    )
    created_count += created
    if created:  # wide banners go to the wide slots
        spring.slots.set(
            [
                slots[c]
                for c in ("home_top", "article_top", "article_bottom", "search_top", "section_list")
            ]
        )
    _, created = _image_creative(
        spring,
        "Lastenrad Banner",
        "Lastenrad vor einem Hafenkran, Text: Frühjahrsaktion bei Radhaus Elbufer",
        "https://radhaus.example/fruehjahr",
        "Radhaus Elbufer – Lastenräder",
        (22, 110, 70),
        (728, 90),
        # Twice the phone slot's 320 × 100: sharp on high-density phone screens.
        mobile_size=(640, 200),
    )
    created_count += created

    hosting, created = Campaign.objects.get_or_create(
        advertiser=cloud,
        name="Server aus Sachsen",
        defaults={"starts_at": start, "weight": 10, "max_impressions_per_day": 50000},
    )
    created_count += created
    if created:  # the 300×250 rectangle fits the sidebar and the in-text slot
        hosting.slots.set([slots["article_sidebar"], slots["article_inline"]])
    _, created = Creative.objects.get_or_create(
        campaign=hosting,
        name="Textanzeige Hosting",
        defaults={
            "kind": Creative.Kind.TEXT,
            "headline": "Hosting mit Standort Dresden",
            "text": "Virtuelle Server ab 4 Euro im Monat, Rechenzentrum in Sachsen, Support auf Deutsch.",
            "click_url": "https://wolkenwerk.example/server",
        },
    )
    created_count += created
    _, created = _image_creative(
        hosting,
        "Hosting Rechteck",
        "Serverschrank mit Schriftzug Wolkenwerk Hosting",
        "https://wolkenwerk.example/",
        "Wolkenwerk Hosting",
        (40, 60, 140),
        (300, 250),
    )
    created_count += created

    own, created = Campaign.objects.get_or_create(
        advertiser=house,
        name="Newsletter abonnieren",
        defaults={"starts_at": start, "priority": Campaign.Priority.HOUSE},
    )
    created_count += created
    _, created = Creative.objects.get_or_create(
        campaign=own,
        name="Newsletter Text",
        defaults={
            "kind": Creative.Kind.TEXT,
            "headline": "Der Morgen-Newsletter",
            "text": "Die wichtigsten Nachrichten des Tages, jeden Morgen um sechs in Ihrem Postfach.",
            "click_url": "https://newsroom.example/newsletter",
        },
    )
    created_count += created

    if stdout is not None and verbosity >= 1:
        stdout.write(f"Anzeigen: {created_count} Objekte angelegt ({len(slots)} Werbeplätze).")
