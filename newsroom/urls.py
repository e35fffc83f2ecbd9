"""URL configuration.

Reader pages live under ``i18n_patterns`` without a prefix for German (the
default) and with ``/en/`` for English, so the language is part of the URL and
every URL has exactly one HTML answer (cache-friendly). The admin and machine
endpoints are not translated by URL: the admin speaks each editor's language
(``core.middleware.AdminLanguageMiddleware``), ``/en/admin/`` leads to it in English.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from articles.shared_preview import shared_preview
from articles.uploads import ckeditor_upload
from core import health, views
from newsroom import admin_views, page_data, twofactor_views

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    # The editor's own settings (admin language), before the admin's catch-all.
    path(
        "admin/einstellungen/",
        admin.site.admin_view(admin_views.staff_preferences),
        name="admin_preferences",
    ),
    # Staff two-factor login (newsroom/twofactor_views.py), before the admin's catch-all.
    path("admin/2fa/", admin.site.admin_view(twofactor_views.overview), name="admin_2fa"),
    path(
        "admin/2fa/einrichten/",
        admin.site.admin_view(twofactor_views.enrol),
        name="admin_2fa_enrol",
    ),
    path(
        "admin/2fa/bestaetigen/",
        admin.site.admin_view(twofactor_views.verify),
        name="admin_2fa_verify",
    ),
    path("admin/", admin.site.urls),
    # /en/admin/... is the admin in English (cookie), at /admin/... like every admin page.
    path("en/admin/", admin_views.admin_in_language, {"language": "en"}),
    path("en/admin/<path:rest>", admin_views.admin_in_language, {"language": "en"}),
    # Our upload view (Pillow validation) takes the name before django-ckeditor's.
    path("ckeditor/upload/", ckeditor_upload, name="ckeditor_upload"),
    path("ckeditor/", include("ckeditor_uploader.urls")),
    path("anzeigen/", include("ads.urls")),
    # Shareable preview links (signed, expiring, revocable): no language prefix, never cached.
    path("vorschau/<str:token>/", shared_preview, name="shared_preview"),
    # One request per page view for all per-reader parts (ad slots, comment session).
    path("seitendaten/", page_data.page_data, name="page_data"),
    path("", include("articles.seo_urls")),  # sitemap.xml, news-sitemap.xml, robots.txt
]

urlpatterns += i18n_patterns(
    # Before the articles' catch-all "<section>/<slug>/" patterns.
    path("kommentare/", include("comments.urls")),
    path("seite/", include("pages.urls")),  # static pages: Impressum, Datenschutz, ...
    path("liveticker/", include("ticker.urls")),  # the update endpoint ticker pages poll
    path("", include("articles.urls")),
    prefix_default_language=False,
)

if settings.DEBUG and not settings.MEDIA_ORIGIN:  # local media files, not a media domain
    urlpatterns.insert(
        0,
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )
