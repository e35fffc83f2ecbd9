"""Media on S3-compatible storage, end to end against a real S3 API (moto's server
mode as a subprocess on 127.0.0.1; django-storages and boto3 unmocked): uploads,
renditions, CKEditor images and ad creatives land in the bucket, are served from the
media domain, survive the body sanitiser and are allowed by the CSP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ArticleFactory, ImageFactory, UserFactory, make_image_bytes
from tests.support.servers import ROOT, free_port

pytestmark = pytest.mark.slow  # starts moto's S3 server

BUCKET = "newsroom-media"
CREDENTIALS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"}
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 API on a free port, with the bucket created through boto3."""
    port = free_port()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("moto's S3 server did not start") from None
            time.sleep(0.2)
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.create_bucket(Bucket=BUCKET)
    # The bucket policy of docs/deployment.md: anyone may read objects, nobody list.
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    try:
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def production_settings(**env: str) -> dict:
    """What newsroom/settings/base.py makes of ``env`` (a fresh process)."""
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'MEDIA_URL': s.MEDIA_URL, 'MEDIA_ORIGIN': s.MEDIA_ORIGIN, "
        "'STORAGE': s.STORAGES['default'], 'IMG_SRC': [str(v) for v in s.SECURE_CSP['img-src']], "
        "'ADMIN_IMG_SRC': [str(v) for v in s.ADMIN_EDITOR_CSP['img-src']]}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
            "DJANGO_SECRET_KEY": "s" * 64,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_media_domain_is_the_custom_domain_else_the_buckets_address():
    cdn = production_settings(S3_BUCKET=BUCKET, S3_CUSTOM_DOMAIN="media.example.de")
    assert cdn["MEDIA_URL"] == "https://media.example.de/"
    assert cdn["IMG_SRC"] == ["'self'", "data:", "blob:", "https://media.example.de"]
    assert cdn["ADMIN_IMG_SRC"] == cdn["IMG_SRC"]  # the editor shows the images too
    assert cdn["STORAGE"]["OPTIONS"]["custom_domain"] == "media.example.de"

    minio = production_settings(S3_BUCKET=BUCKET, S3_ENDPOINT_URL="http://minio:9000")
    assert minio["MEDIA_URL"] == f"http://minio:9000/{BUCKET}/"
    assert minio["STORAGE"]["OPTIONS"]["addressing_style"] == "path"
    assert "http://minio:9000" in minio["IMG_SRC"]

    aws = production_settings(S3_BUCKET=BUCKET, S3_REGION="eu-central-1")
    assert aws["MEDIA_URL"] == f"https://{BUCKET}.s3.eu-central-1.amazonaws.com/"

    local = production_settings()
    assert (local["MEDIA_URL"], local["MEDIA_ORIGIN"]) == ("/media/", "")
    assert local["IMG_SRC"] == ["'self'", "data:", "blob:"]


@pytest.fixture
def media_on_s3(settings, s3_endpoint) -> str:
    """The site configured as production would be for this bucket, behind a media host
    ("localhost" stands in for the CDN host in front of the S3 endpoint 127.0.0.1)."""
    media_host = s3_endpoint.replace("127.0.0.1", "localhost") + f"/{BUCKET}"
    derived = production_settings(
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=s3_endpoint,
        S3_REGION="us-east-1",
        S3_CUSTOM_DOMAIN=media_host,
        **CREDENTIALS,
    )
    settings.STORAGES = {**settings.STORAGES, "default": derived["STORAGE"]}
    settings.MEDIA_URL = derived["MEDIA_URL"]
    settings.MEDIA_ORIGIN = derived["MEDIA_ORIGIN"]
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": derived["IMG_SRC"]}
    settings.ADMIN_EDITOR_CSP = {**settings.ADMIN_EDITOR_CSP, "img-src": derived["ADMIN_IMG_SRC"]}
    return derived["MEDIA_URL"]


def fetch(url: str) -> tuple[bytes, Message]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own server
        assert response.status == 200
        return response.read(), response.headers


@pytest.mark.django_db
def test_uploads_and_renditions_are_stored_in_the_bucket_and_served_from_the_media_domain(
    client, media_on_s3
):
    from articles.images import build_renditions

    image = ImageFactory()
    assert image.file.url.startswith(media_on_s3)
    body, headers = fetch(image.file.url)
    assert body[:2] == b"\xff\xd8"  # the JPEG as uploaded (re-encoded by Pillow)
    assert headers.get("Cache-Control") == "public, max-age=31536000, immutable"

    renditions = build_renditions(image)
    assert renditions
    for rendition in renditions:
        assert rendition.file.url.startswith(media_on_s3)
        assert fetch(rendition.file.url)[0]

    article = ArticleFactory(published=True, teaser_image=image)
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert renditions[0].file.url in page
    img_src = [
        part
        for part in response["Content-Security-Policy"].split("; ")
        if part.startswith("img-src")
    ][0]
    assert img_src.endswith(media_on_s3.split(f"/{BUCKET}/")[0])  # the media origin


@pytest.mark.django_db
def test_a_ckeditor_image_survives_the_body_sanitiser_and_foreign_images_do_not(
    client, media_on_s3
):
    from core.sanitize import clean_body_html

    client.force_login(UserFactory(username="chefin", is_staff=True, is_superuser=True))
    upload = SimpleUploadedFile("foto.png", make_image_bytes(800, 600, "PNG"), "image/png")
    response = client.post(
        "/ckeditor/upload/", {"upload": upload}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert url.startswith(f"{media_on_s3}uploads/")
    assert fetch(url)[0][:4] == b"\x89PNG"

    body = clean_body_html(
        f'<p><img src="{url}" alt="Foto"></p>'
        '<p><img src="https://tracker.example/pixel.gif" alt=""></p>'
        f'<p><img src="{media_on_s3.replace("http:", "https:")}x.png" alt=""></p>'
    )
    assert f'<img src="{url}" alt="Foto">' in body
    assert "tracker.example" not in body
    assert body.count("<img") == 1
    # A body from before the move to the bucket keeps its images on the site's /media/.
    assert clean_body_html('<img src="/media/uploads/alt.jpg" alt="">') == (
        '<img src="/media/uploads/alt.jpg" alt="">'
    )


@pytest.mark.django_db
def test_ad_creatives_are_stored_in_the_bucket_and_served_from_the_media_domain(media_on_s3):
    from tests.ads.factories import CreativeFactory

    creative = CreativeFactory(
        image_ad=True,
        image_mobile=ContentFile(make_image_bytes(320, 50, "PNG"), name="mobil.png"),
    )
    creative.refresh_from_db()
    assert (creative.image_mobile_width, creative.image_mobile_height) == (320, 50)
    for field in (creative.image, creative.image_mobile):
        assert field.url.startswith(media_on_s3)
        assert fetch(field.url)[0][:4] == b"\x89PNG"
