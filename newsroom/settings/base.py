"""newsroom settings: everything lives here, environment variables switch it.

Development (``DJANGO_DEBUG=1``, which ``make run`` sets) needs no variables at
all. Production (the default: ``DJANGO_DEBUG`` unset or off) refuses to start
without a real ``DJANGO_SECRET_KEY`` and passes ``manage.py check --deploy``.
See the README for the table of variables.
"""

from __future__ import annotations

import re
from datetime import timedelta
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from core.clientip import parse_networks
from core.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
    parse_email_url,
    s3_media_storage,
    smtp_mailer,
    url_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("NEWSROOM_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Only ever used with DEBUG on; production refuses it below.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")


def _refuse_insecure_secret_key(key: str) -> None:
    if not key:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG off) needs a "
            "random secret key of at least 50 characters."
        )
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure") or len(key) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is insecure (a default, a 'django-insecure' key or shorter "
            "than 50 characters). Generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(64))'"
        )


if not DEBUG:
    _refuse_insecure_secret_key(SECRET_KEY)

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Base of every absolute link (mails, canonical, feeds, sitemaps). `make run`
# (newsroom.devserver) sets it to the address it listens on unless it is set;
# production must set it: `check --deploy` refuses the default (newsroom/checks.py).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"
SITE_URL = (env_str("NEWSROOM_SITE_URL") or DEVELOPMENT_SITE_URL).rstrip("/")
SITE_NAME = env_str("NEWSROOM_SITE_NAME", "newsroom")
# Checks before publishing (articles/publish_checks.py): the change form shows every
# finding as a warning; these names also stop publishing (comma-separated in the
# environment; an unknown name is a startup error). Names: alt_text, headline_length,
# lead, section, links, heading_order.
PUBLISH_BLOCKING_CHECKS = env_list("NEWSROOM_PUBLISH_BLOCKING_CHECKS", ["alt_text", "section"])
# About what search results show of a title (the headline_length check).
HEADLINE_SEARCH_LENGTH = env_int("NEWSROOM_HEADLINE_SEARCH_LENGTH", 70)
# Seconds between background saves of an article form (autosave) and between the
# heartbeats that tell editors who else has the article open; 0 switches them off.
ADMIN_AUTOSAVE_SECONDS = env_int("NEWSROOM_ADMIN_AUTOSAVE_SECONDS", 15)
ADMIN_PRESENCE_SECONDS = env_int("NEWSROOM_ADMIN_PRESENCE_SECONDS", 20)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "ckeditor",
    "ckeditor_uploader",
    "django_tasks_db",
    "axes",
    # Staff two-factor login (newsroom/twofactor.py): authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",  # what every app uses; imports no other app of ours
    "newsroom",
    "articles",
    "comments",
    "ads",
    "pages",
    "ticker",  # live tickers and the breaking-news banner (issue 20)
]

MIDDLEWARE = [
    # Before everything: the request ID that log lines, Sentry events and the 500 page name
    # (newsroom/observability.py); also on cached answers.
    "newsroom.observability.RequestIdMiddleware",
    # gzip for public reader answers only (no admin: BREACH), hits included.
    "core.compression.ReaderCompressionMiddleware",
    # Next: a cache hit skips every other middleware. Entries are stored
    # with the final headers all the others added (security headers, CSP, Vary).
    "core.pagecache.ReaderPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Above LocaleMiddleware: sees its Vary header (see core/caching.py).
    "core.caching.LanguageFromURLVaryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "newsroom.twofactor_views.StaffTwoFactorMiddleware",
    # The admin in each editor's language (profile, browser); reader pages keep the URL's.
    "core.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.AdminEditorCSPMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.ratelimit.RateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Shared page cache for anonymous reader pages (core/pagecache.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Cached page fragments (related teasers, navigation, comment thread, JSON-LD) keyed by
# the page cache's tag versions (core/fragments.py). 0 switches every fragment cache off
# (the "fully cold" figures of `make bench`); PAGE_CACHE_ENABLED=0 leaves them on.
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", default=True)
# Searches per client address and window (core.ratelimit, shared cache).
SEARCH_RATE_LIMIT = env_int("SEARCH_RATE_LIMIT", 30)
SEARCH_RATE_LIMIT_WINDOW = env_int("SEARCH_RATE_LIMIT_WINDOW", 60)
# --- Reader pages for search engines and social networks (README, "Reader site") ---
# The publisher logo of the structured data: a static file, square, at least 112×112 px.
PUBLISHER_LOGO = env_str("NEWSROOM_PUBLISHER_LOGO", "img/publisher-logo.png")
# X/Twitter cards: the site's account and the author account named as creator ("@name").
TWITTER_SITE = env_str("NEWSROOM_TWITTER_SITE")
TWITTER_CREATOR = env_str("NEWSROOM_TWITTER_CREATOR") or TWITTER_SITE
for _name, _handle in (
    ("NEWSROOM_TWITTER_SITE", TWITTER_SITE),
    ("NEWSROOM_TWITTER_CREATOR", TWITTER_CREATOR),
):
    if _handle and not re.fullmatch(r"@\w{1,15}", _handle):
        raise ImproperlyConfigured(
            f"{_name} must be an account name like @newsroom, got {_handle!r}."
        )
# The full-text feeds (/feed/volltext/): every article's body, not only its lead.
FULL_TEXT_FEEDS = env_bool("NEWSROOM_FULL_TEXT_FEEDS", default=True)
# Articles per page of the paged article sitemap (/sitemap-articles.xml?p=N); search
# engines accept up to 50,000 URLs and 50 MB, each entry here carries its hreflang links.
SITEMAP_PAGE_SIZE = env_int("NEWSROOM_SITEMAP_PAGE_SIZE", 5000)

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.context_processors.site",
            ],
            # {% url %} reversed once per process and language (core/links.py)
            "builtins": ["core.templatetags.links"],
        },
    },
    {
        # The repeated reader partials (teasers, comments, pictures): templates/**/*.jinja,
        # rendered inside Django templates by {% jinja %} (newsroom/templating.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "newsroom.templating.environment"},
    },
]

# --- Database: PostgreSQL only ----------------------------------------------
# DATABASE_URL is set by the operator, or in development by newsroom.embedded_db
# (called from manage.py, wsgi.py and the pytest plugin) before settings are imported.

_database_url = env_str("DATABASE_URL")
if not _database_url and not DEBUG:
    from newsroom.embedded_db import PRODUCTION_MESSAGE

    raise ImproperlyConfigured(PRODUCTION_MESSAGE)
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Start newsroom through manage.py, wsgi.py or pytest "
        "(they start the embedded PostgreSQL under var/postgres/), or set DATABASE_URL "
        "to a postgres:// URL."
    )
DATABASES = {"default": parse_database_url(_database_url)}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env_str("DATABASE_TEST_NAME"):
    # The test database's name on a shared server (pytest-django's default: test_<NAME>).
    DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME")}
if env_bool("DATABASE_POOL", default=False):
    # psycopg's connection pool; incompatible with persistent connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
    }

# Optional read replicas: reader-page reads go there (core/db_router.py).
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica_{_index}"] = {
        **parse_database_url(_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
# PostgreSQL's JIT compiler is off for our connections unless DATABASE_JIT=1: it pays off
# for long analytical queries, while ours are short; above its cost threshold it spent
# 25 ms compiling a 200 ms search query that then ran no faster (docs/performance.md).
if not env_bool("DATABASE_JIT", default=False):
    for _database in DATABASES.values():
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# The queries compiled once per process (core.compiled: the article, related teasers,
# comment section, home, search page) run as prepared statements: PostgreSQL stops
# planning them on every request. Off for PgBouncer in transaction mode before 1.21 or
# without max_prepared_statements.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASE_PREPARED_STATEMENTS:
    for _database in DATABASES.values():
        # psycopg's default, which Django turns off: a statement run five times on a
        # connection is prepared. Only server-side binding cursors prepare (core.compiled's);
        # Django's own client-side binding cursors never do.
        _database.setdefault("OPTIONS", {})["prepare_threshold"] = 5
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.pagecache.ReaderPageCacheMiddleware"),
        "core.db_router.PrimaryPinningMiddleware",
    )
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 15)
# After each page-cache invalidation, reader pages are rebuilt from the primary for this
# long (longer than the replicas' lag), never from a replica still showing the old rows.
DATABASE_REPLICA_FILL_FROM_PRIMARY_SECONDS = env_int(
    "DATABASE_REPLICA_FILL_FROM_PRIMARY_SECONDS", 10
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------

# Two roles (docs/deployment.md, "Redis"): "default" holds pages and fragments and may
# evict (allkeys-lru); "counters" holds ad counts, frequency caps and rate limits, which
# must not be evicted (noeviction). REDIS_COUNTERS_URL gives the counters their own
# server or database; without it both aliases use REDIS_URL.
REDIS_URL = env_str("REDIS_URL")
REDIS_COUNTERS_URL = env_str("REDIS_COUNTERS_URL") or REDIS_URL


def _redis_cache(url: str) -> dict:
    return {
        "BACKEND": "core.cache.RedisCache",  # Django's, reusing its clients
        "LOCATION": url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsroom"),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


if REDIS_URL:
    CACHES = {"default": _redis_cache(REDIS_URL), "counters": _redis_cache(REDIS_COUNTERS_URL)}
else:
    # One process only; both aliases share one LocMemCache store (same LOCATION).
    _locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsroom"}
    CACHES = {"default": _locmem, "counters": dict(_locmem)}

# --- Background tasks (Django 6 tasks framework) ----------------------------

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Auth --------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Staff two-factor login (django-otp, newsroom/twofactor.py). On: administrators
# (superusers) and the editor role must enrol before using the admin; everyone who
# enrolled confirms a code after each password login, whatever this says.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = SITE_NAME  # the account's name in the authenticator app

# --- Reverse proxies and the admin lock-out ---------------------------------
# X-Forwarded-For is honoured only from these peers (addresses or CIDR ranges,
# IPv4 and IPv6); empty: the header is ignored. One function,
# core.clientip.client_ip, names the reader for every rate limit, ban,
# stored comment IP and the lock-out below. Invalid entries stop the start.
TRUSTED_PROXIES = parse_networks(env_list("TRUSTED_PROXIES"))
# --- Ads: invalid traffic (ads/traffic.py, docs/ads.md) ------------------------
# Addresses in these ranges (e.g. the published ranges of cloud providers) are
# data-center traffic: counted apart, never billed, never using up a cap.
ADS_DATACENTER_NETWORKS = parse_networks(
    env_list("ADS_DATACENTER_NETWORKS"), setting="ADS_DATACENTER_NETWORKS"
)
# The same click or pixel token from the same pseudonymous reader within this
# many seconds is a replay (counted apart).
ADS_REPLAY_WINDOW_SECONDS = env_int("ADS_REPLAY_WINDOW_SECONDS", 600)
# Admin login lock-out (django-axes). A failure counts for the pair of account
# and address: AXES_FAILURE_LIMIT failures lock that account *from that
# address* for AXES_COOLOFF_MINUTES, so a stranger cannot lock an editor out,
# and the editor with the right password from their own address always gets in.
# An address that fails AXES_IP_FAILURE_LIMIT times in total (guessing many
# accounts) is locked by address (core/lockout.py). A success resets
# that pair's counter.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # pair first
AXES_HANDLER = "core.lockout.PairAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
# Outermost, before host validation: a load balancer probes /healthz by address.
MIDDLEWARE.insert(0, "core.health.HealthCheckMiddleware")
# /healthz/ready warns (HTTP 200, "warnings") above these: tasks waiting for a worker,
# the oldest one's wait in seconds, seconds since the last successful ad-count flush.
HEALTH_TASK_BACKLOG_MAX = env_int("HEALTH_TASK_BACKLOG_MAX", 500)
HEALTH_TASK_AGE_MAX = env_int("HEALTH_TASK_AGE_MAX", 600)
HEALTH_AD_FLUSH_MAX_AGE = env_int("HEALTH_AD_FLUSH_MAX_AGE", 300)

# --- Internationalisation: German first, English second --------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    # Django's, without CKEditor's bundled samples and test pages (core/staticfiles.py).
    "core.staticfiles.AppDirectoriesFinder",
]
MEDIA_URL = env_str("DJANGO_MEDIA_URL", "/media/")
# The site's own media path; with a media domain (S3 below) bodies written before the
# move still embed it, and the sanitiser keeps those images (docs/deployment.md).
LOCAL_MEDIA_URL = MEDIA_URL
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development (and tests) WhiteNoise serves straight from the finders; in
# production from STATIC_ROOT after collectstatic, with hashed names.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365
# Media on S3-compatible storage (django-storages) when a bucket is configured. The
# files are served from the media domain (S3_CUSTOM_DOMAIN: a CDN or media host; else
# the bucket's own address), which MEDIA_URL then names: the body sanitiser keeps
# <img> from there and the CSP below allows images from its origin (MEDIA_ORIGIN).
if env_str("S3_BUCKET"):
    STORAGES["default"], MEDIA_URL = s3_media_storage(
        bucket=env_str("S3_BUCKET"),
        endpoint_url=env_str("S3_ENDPOINT_URL"),
        region=env_str("S3_REGION"),
        access_key=env_str("S3_ACCESS_KEY_ID"),
        secret_key=env_str("S3_SECRET_ACCESS_KEY"),
        custom_domain=env_str("S3_CUSTOM_DOMAIN"),
    )
MEDIA_ORIGIN = url_origin(MEDIA_URL)  # "" while media are served from this site
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail -------------------------------------------------------------------

# Readers see the publication's name as the sender (quoted where RFC 5322 needs it).
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", str(Address(display_name=SITE_NAME, addr_spec="redaktion@localhost"))
)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
_email_url = env_str("EMAIL_URL")
if _email_url:
    _mailer = parse_email_url(_email_url, file_path=VAR_DIR / "mail")
elif env_str("EMAIL_HOST"):
    _mailer = smtp_mailer(
        host=env_str("EMAIL_HOST"),
        port=env_int("EMAIL_PORT", 587),
        username=env_str("EMAIL_HOST_USER"),
        password=env_str("EMAIL_HOST_PASSWORD"),
        use_tls=env_bool("EMAIL_USE_TLS", default=True),
        use_ssl=env_bool("EMAIL_USE_SSL", default=False),
        timeout=env_int("EMAIL_TIMEOUT", 10),
    )
elif DEBUG:
    # Development: every mail is a file a person can open under var/mail/.
    _mailer = {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
else:
    _mailer = smtp_mailer(host="localhost", port=25)
MAILERS = {"default": _mailer}

# --- Security ---------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"  # the site's 403 page, in its language
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_AGE", 8 * 60 * 60)  # staff sessions: a work day

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?/?$"]

# Content Security Policy (Django 6 built-in). Reader pages get nonces; the
# admin's CKEditor needs inline styles, which 'unsafe-inline' styles allow.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Logged-in staff in the admin only (core.middleware.AdminEditorCSPMiddleware):
# CKEditor 4 needs inline event handlers and an inline script in its editing
# iframe; a nonce would disable 'unsafe-inline', so this policy has none.
# tests/security/test_admin_csp.py proves the editor works under it and that
# reader pages and the login page keep the strict policy.
ADMIN_EDITOR_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
}

# --- Rich text: django-ckeditor ---------------------------------------------
# django-ckeditor bundles CKEditor 4.22.1, which its maintainer deprecated and
# which has unfixed CVEs. We keep it because the brief asks for it, and
# mitigate: only staff reach the editor (admin), every body is sanitised with
# nh3 against an allow-list before it is stored and again before it is shown,
# uploads are images only (validated by Pillow), and the body is a plain HTML
# field so the widget can be swapped without a data migration.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_IMAGE_BACKEND = "pillow"
CKEDITOR_RESTRICT_BY_USER = False
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image", "Table"],
            ["RemoveFormat", "Source"],
        ],
        "format_tags": "p;h2;h3;h4",
        "removePlugins": "exportpdf",
        "height": 420,
        "width": "100%",
    },
    # Live-ticker entries (ticker.admin): short texts, the same allow-list on save.
    "ticker": {
        "toolbar": "Custom",
        "toolbar_Custom": [["Bold", "Italic", "BulletedList", "Blockquote", "Link", "Unlink"]],
        "removePlugins": "exportpdf",
        "height": 120,
        "width": "100%",
    },
}

# --- Live tickers (issue 20) --------------------------------------------------

# How often an open ticker page asks for new entries (seconds), and how often while
# its tab is hidden. The update endpoint may be cached by browsers for
# TICKER_UPDATE_MAX_AGE seconds (shorter than the interval, so no poll is wasted).
TICKER_POLL_SECONDS = env_int("TICKER_POLL_SECONDS", 15)
TICKER_HIDDEN_POLL_SECONDS = env_int("TICKER_HIDDEN_POLL_SECONDS", 120)
TICKER_UPDATE_MAX_AGE = env_int("TICKER_UPDATE_MAX_AGE", 5)
# An ad slot after every N entries of a ticker page (0: none between entries).
TICKER_AD_INTERVAL = env_int("TICKER_AD_INTERVAL", 6)

# --- Logging ----------------------------------------------------------------

_log_file = env_str("DJANGO_LOG_FILE")
# plain: one line per record (and the traceback); json: one JSON object per line for a log
# collector (Loki, Elasticsearch, journald's JSON export). Both name the request.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}.")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "newsroom.observability.RequestContextFilter"}},
    "formatters": {
        "plain": {"()": "newsroom.observability.PlainFormatter"},
        "json": {"()": "newsroom.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        },
        **(
            {
                "file": {
                    "class": "logging.handlers.WatchedFileHandler",
                    "filename": _log_file,
                    "formatter": LOG_FORMAT,
                    "filters": ["request"],
                }
            }
            if _log_file
            else {}
        ),
    },
    "root": {"handlers": ["console", *(["file"] if _log_file else [])], "level": "INFO"},
    "loggers": {
        # Django's default config gives "django" a console handler of its own;
        # route it through ours instead so nothing is printed twice.
        "django": {
            "handlers": ["console", *(["file"] if _log_file else [])],
            "level": "INFO",
            "propagate": False,
        },
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Error tracking (optional) ---------------------------------------------------
# sentry-sdk sends uncaught errors and ERROR log records to Sentry or a self-hosted
# GlitchTip when SENTRY_DSN is set (docs/deployment.md, section 7); off without it.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from newsroom.observability import init_sentry

    try:
        _traces_sample_rate = float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0"))
    except ValueError as exc:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number (0 to 1).") from exc
    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
        release=env_str("SENTRY_RELEASE") or None,
        traces_sample_rate=_traces_sample_rate,
    )
