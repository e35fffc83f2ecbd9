"""``manage.py seed_demo``: idempotent German demo content for development."""

from __future__ import annotations

import importlib
import importlib.util
import io
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles import demo_content as content
from articles import services
from articles.images import build_renditions, normalise_upload
from articles.models import Agency, Article, Author, Correction, Image, Section
from articles.slugs import german_slugify
from core.demo_fonts import demo_font
from newsroom import roles

# Development only: the command refuses to run in production without --force.
DEMO_USERS = [
    # username, password, group, first name, last name, superuser
    ("admin", "admin-demo-passwort", None, "Ada", "Admin", True),
    ("redakteurin", "redaktion-demo-passwort", roles.JOURNALIST, "Jana", "Redlich", False),
    ("cvd", "cvd-demo-passwort", roles.EDITOR, "Carla", "Vogt", False),
    ("moderation", "moderation-demo-passwort", roles.MODERATOR, "Mo", "Derato", False),
    ("anzeigen", "anzeigen-demo-passwort", roles.AD_MANAGER, "Anne", "Zeigen", False),
]
PALETTE = [
    (23, 62, 110),
    (150, 40, 40),
    (30, 110, 80),
    (120, 70, 140),
    (200, 120, 20),
    (40, 120, 150),
]


def demo_picture(text: str, color: tuple[int, int, int], *, size=(1280, 720)) -> bytes:
    """A gradient with circles and the initials of ``text`` (Pillow only)."""
    width, height = size
    picture = PILImage.new("RGB", size, color)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        shade = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(c * (1 - 0.6 * shade) + 255 * 0.15 * shade) for c in color),
        )
    for index in range(5):
        radius = 60 + 40 * index
        x, y = (width * (index + 1)) // 6, height // 2 + (-1) ** index * 90
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius], outline=(255, 255, 255), width=4
        )
    initials = "".join(word[0] for word in text.split()[:3] if word[:1].isalpha()).upper() or "N"
    font = demo_font(220)  # has ä, ö, ü and ß (Pillow's default font has not)
    draw.text((width // 2, height // 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Command(BaseCommand):
    help = (
        "Legt deutsche Demo-Inhalte an (Ressorts, Autoren, Agenturen, etwa 30 Artikel in "
        "allen Zuständen, Bilder, Schlagwörter, verwandte Inhalte, Korrekturen) und je ein "
        "Konto pro Rolle. Mehrfaches Ausführen ändert nichts. Nur für die Entwicklung."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Auch ohne DEBUG ausführen (z. B. in Tests)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Nur zeigen, was fehlt.")

    def handle(self, *args, force=False, dry_run=False, verbosity=1, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo legt Konten mit bekannten Passwörtern an und läuft daher nur mit "
                "DJANGO_DEBUG=1 (oder --force)."
            )
        self.verbosity = verbosity
        if dry_run:
            existing = set(Article.objects.values_list("slug", flat=True))
            missing = [a[2] for a in content.ARTICLES if german_slugify(a[2]) not in existing]
            self.stdout.write(f"Fehlende Demo-Artikel: {len(missing)}")
            for headline in missing:
                self.stdout.write(f"  {headline}")
            return
        with transaction.atomic():
            users = self._users()
            sections = self._sections()
            agencies = self._agencies()
            authors = self._authors(users)
            created = self._articles(users, sections, agencies, authors)
            self._translations(users["cvd"], authors)  # before _related: they get theirs too
            self._related(users["cvd"])
            self._corrections()
        for image in Image.objects.filter(renditions__isnull=True):
            build_renditions(image)
        # The search's lexicon (spellings, compounds, "Meinten Sie …?") from all demo text.
        services.search_words_rebuild()
        self._say(f"Demo-Artikel neu angelegt: {created}, insgesamt: {Article.objects.count()}")
        self._print_accounts()
        self._app_hooks()

    def _say(self, message: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(message)

    # --- reference data ----------------------------------------------------

    def _users(self) -> dict:
        user_model = get_user_model()
        users = {}
        for username, password, group, first, last, is_superuser in DEMO_USERS:
            user, _created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@newsroom.example",
                    "first_name": first,
                    "last_name": last,
                    "is_staff": True,
                    "is_superuser": is_superuser,
                },
            )
            if _created:
                user.set_password(password)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            users[username] = user
        return users

    def _sections(self) -> dict:
        sections = {}
        for order, (name, slug, description) in enumerate(content.SECTIONS):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "order": order, "description": description}
            )
        return sections

    def _agencies(self) -> dict:
        return {
            credit: Agency.objects.get_or_create(credit=credit, defaults={"name": name})[0]
            for name, credit in content.AGENCIES
        }

    def _authors(self, users) -> dict:
        authors = {}
        for index, (name, slug, bio, username) in enumerate(content.AUTHORS):
            author, created = Author.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "bio": bio,
                    "user": users.get(username) if username else None,
                },
            )
            if created:
                author.photo = self._image(
                    name,
                    PALETTE[index % len(PALETTE)],
                    users["cvd"],
                    alt=f"Porträt: {name}",
                    size=(800, 800),
                )
                author.save(update_fields=["photo"])
            authors[slug] = author
        return authors

    def _image(self, text, color, actor, *, alt, size=(1280, 720)) -> Image:
        upload = ContentFile(
            demo_picture(text, color, size=size), name=f"{german_slugify(text)[:40]}.jpg"
        )
        image = Image(
            file=normalise_upload(upload),
            alt_text=alt,
            caption=text,
            credit="Grafik: newsroom (Demo)",
        )
        return services.image_save(actor=actor, image=image, file_changed=True)

    # --- articles ------------------------------------------------------------

    def _articles(self, users, sections, agencies, authors) -> int:
        now = timezone.now()
        editor, journalist = users["cvd"], users["redakteurin"]
        created = 0
        for index, row in enumerate(content.ARTICLES):
            section_slug, kicker, headline, lead, paragraphs, tags, author_slugs, agency, state = (
                row
            )
            slug = german_slugify(headline)
            if Article.objects.filter(slug=slug).exists():
                continue
            actor = journalist if author_slugs[:1] == ["jana-redlich"] else editor
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            if index % 3 == 0:
                body += f"<h2>Hintergrund</h2><p>{lead}</p>"
            article = services.article_create(
                actor=actor,
                kicker=kicker,
                headline=headline,
                slug=slug,
                lead=lead,
                body=body,
                section=sections[section_slug],
                agency=agencies.get(agency),
                dateline="Musterstadt" if index % 2 == 0 else "",
                meta_description=lead[:300],
                # 4:3 and large enough for every crop search engines ask for (1200 px).
                teaser_image=self._image(
                    headline,
                    PALETTE[index % len(PALETTE)],
                    editor,
                    alt=f"Symbolbild: {kicker}",
                    size=(1600, 1200),
                ),
                authors=[authors[s] for s in author_slugs],
                tags=tags,
            )
            self._move(article, state, index, now, actor=actor, editor=editor)
            created += 1
            self._say(f"  {state:12} {headline}", 2)
        return created

    def _move(self, article, state, index, now, *, actor, editor) -> None:
        if state == "draft":
            return
        services.article_submit(actor=actor, article=article)
        if state == "review":
            return
        go_live = now - timedelta(hours=2 + 5 * index)
        if state == "scheduled":
            services.article_publish(
                actor=editor, article=article, go_live_at=now + timedelta(hours=6 + index)
            )
            return
        if state == "expired":
            services.article_publish(
                actor=editor,
                article=article,
                go_live_at=now - timedelta(days=20),
                expires_at=now - timedelta(days=2),
            )
            return
        services.article_publish(actor=editor, article=article, go_live_at=go_live)
        if state == "unpublished":
            services.article_unpublish(
                actor=editor, article=article, note="Rechte am Bild ungeklärt"
            )
        elif state == "archived":
            services.article_archive(actor=editor, article=article)

    def _related(self, editor) -> None:
        published = list(Article.objects.published().order_by("section_id", "slug"))
        for article in published:
            if article.related_items.exists():
                continue
            others = [
                a for a in published if a.section_id == article.section_id and a.pk != article.pk
            ][:2]
            links = content.RELATED_LINKS.get(article.slug)
            if not others and not links:
                continue
            services.article_update(
                actor=editor,
                article=article,
                expected_version=article.version,
                related=others,
                links=links,
                note="Demo: verwandte Inhalte",
            )

    def _corrections(self) -> None:
        for slug, text in content.CORRECTIONS.items():
            article = Article.objects.filter(slug=slug).first()
            if article and not article.corrections.exists():
                Correction.objects.create(
                    article=article,
                    text=text,
                    # Three hours after it went online, but never in the future.
                    published_at=min(
                        (article.first_published_at or timezone.now()) + timedelta(hours=3),
                        timezone.now(),
                    ),
                )

    def _translations(self, editor, authors) -> None:
        """English versions of demo articles (their own URLs under /en/, hreflang pairs)."""
        for original_slug, row in content.TRANSLATIONS.items():
            original = Article.objects.published().filter(slug=original_slug).first()
            kicker, headline, lead, paragraphs = row
            slug = german_slugify(headline)
            if original is None or Article.objects.filter(slug=slug).exists():
                continue
            article = services.article_create(
                actor=editor,
                kicker=kicker,
                headline=headline,
                slug=slug,
                lead=lead,
                body="".join(f"<p>{p}</p>" for p in paragraphs),
                section=original.section,
                language="en",
                translation_of=original,
                teaser_image=original.teaser_image,
                meta_description=lead[:300],
                authors=[a.author for a in original.authorships.select_related("author")],
                tags=list(original.tags.names()),
            )
            services.article_submit(actor=editor, article=article)
            services.article_publish(actor=editor, article=article, go_live_at=original.go_live_at)

    # --- output and hooks ------------------------------------------------------

    def _print_accounts(self) -> None:
        self._say("\nDemo-Konten (nur Entwicklung!):")
        for username, password, group, *_rest in DEMO_USERS:
            self._say(f"  {username:12} {password:28} {group or 'Superuser'}")

    def _app_hooks(self) -> None:
        for module_name, function in (
            ("comments.demo", "seed_demo_comments"),
            ("ads.demo", "seed_demo_ads"),
            ("ticker.demo", "seed_demo_tickers"),
        ):
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            getattr(module, function)(stdout=self.stdout, verbosity=self.verbosity)
