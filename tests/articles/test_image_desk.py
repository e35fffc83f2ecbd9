"""Images at the desk: crops of every ratio previewed, renditions ready or pending, AVIF in
<picture>, and no publishing while a picture lacks its alternative text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from articles import services
from articles.admin.images import crop_position
from articles.images import AVIF_RENDITIONS, build_renditions
from articles.models import Article, Image
from tests.factories import ArticleFactory, ImageFactory, make_image_bytes


def test_crop_position_shows_the_focal_crop_of_each_ratio():
    class Picture:  # the stored size and focus, as crop_position reads them
        width, height, focal_x, focal_y = 1600, 900, 1.0, 0.5

    assert crop_position(Picture, 16 / 9) == (50.0, 50.0)  # the whole picture
    assert crop_position(Picture, 1.0) == (100.0, 50.0)  # 1:1 at the right edge
    Picture.focal_x = 0.0
    assert crop_position(Picture, 4 / 3) == (0.0, 50.0)


@pytest.mark.django_db
def test_image_form_previews_every_ratio_and_says_renditions_are_pending_then_ready(client, editor):
    image = ImageFactory(focal_x=0.9, focal_y=0.5)
    client.force_login(editor)
    url = reverse("admin:articles_image_change", args=[image.pk])
    page = client.get(url).text
    assert 'class="focal-picker"' in page and "focal_point.js" in page
    for label in ("16:9", "4:3", "1:1"):
        assert f"<figcaption>{label}</figcaption>" in page
    assert "ausstehend (0 von" in page
    build_renditions(image)
    page = client.get(url).text
    assert "renditions-ready" in page and "fertig (" in page
    listing = client.get(reverse("admin:articles_image_changelist")).text
    assert "fertig (" in listing


@pytest.mark.django_db
def test_picture_offers_avif_before_webp_and_jpeg():
    if not AVIF_RENDITIONS:
        pytest.skip("This Pillow writes no AVIF (features.check('avif') is False).")
    build_renditions(ImageFactory())
    image = Image.objects.prefetch_related("renditions").get()  # as the selectors load it
    html = Template("{% load reader %}{% picture image %}").render(Context({"image": image}))
    assert html.index('type="image/avif"') < html.index('type="image/webp"')
    assert html.index('type="image/webp"') < html.index('type="image/jpeg"')
    assert ".avif 320w" in html


@pytest.mark.django_db
def test_publishing_is_refused_while_a_body_image_has_no_alt_text(editor, section):
    image = ImageFactory()
    article = ArticleFactory(
        section=section,
        body=f'<p>Text</p><figure><img src="{image.file.url}" alt=""></figure>',
    )
    with pytest.raises(services.ValidationError, match="1 Bild im Text ohne Alternativtext"):
        services.article_publish(actor=editor, article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    Article.objects.filter(pk=article.pk).update(
        body=f'<p>Text</p><figure><img src="{image.file.url}" alt="Das Rathaus"></figure>'
    )
    services.article_publish(actor=editor, article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_publishing_is_refused_while_the_teaser_image_has_a_blank_alt_text(editor, section):
    image = ImageFactory(
        file=SimpleUploadedFile("aufmacher.jpg", make_image_bytes()), alt_text="   "
    )
    article = ArticleFactory(section=section, teaser_image=image)
    with pytest.raises(services.ValidationError, match="Aufmacherbild"):
        services.article_publish(actor=editor, article=article)
