"""Read configuration from environment variables.

Small, dependency-free parsers for the handful of URL-shaped variables newsroom
understands (``DATABASE_URL``, ``EMAIL_URL``). Only PostgreSQL is accepted as a
database: there is deliberately no SQLite code path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str) -> dict:
    """Turn ``postgres://user:pass@host:port/name?opt=val`` into a ``DATABASES`` entry.

    A ``host`` query parameter (as psycopg and pgserver write it) names a
    socket directory. Other query parameters become connection ``OPTIONS``
    (``sslmode``, ``connect_timeout``, ...).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a PostgreSQL URL (postgres://...), got scheme {parts.scheme!r}."
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = unquote(parts.hostname or "") or query.pop("host", "")
    config: dict = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": query,
    }
    return config


def parse_email_url(url: str, *, file_path: Path) -> dict:
    """Map ``EMAIL_URL`` to a Django 6.1 ``MAILERS`` entry.

    ``smtp://user:pass@host:587?tls=1`` (or ``smtps://`` for implicit TLS),
    ``console://``, ``file://`` (written under ``var/mail/`` unless a path is
    given) and ``locmem://``.
    """
    parts = urlsplit(url)
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    scheme = parts.scheme
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        path = unquote(parts.path) if parts.path not in {"", "/"} else str(file_path)
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": path},
        }
    if scheme in {"smtp", "smtps"}:
        return smtp_mailer(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if scheme == "smtps" else 25),
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_ssl=scheme == "smtps",
            use_tls=scheme == "smtp" and query.get("tls") in TRUE_VALUES,
            timeout=int(query.get("timeout", "10")),
        )
    raise ImproperlyConfigured(
        f"EMAIL_URL scheme {scheme!r} is not supported (smtp, smtps, console, file, locmem)."
    )


def smtp_mailer(
    *,
    host: str,
    port: int,
    username: str = "",
    password: str = "",
    use_tls: bool = False,
    use_ssl: bool = False,
    timeout: int = 10,
) -> dict:
    """A ``MAILERS`` entry for Django's SMTP backend."""
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": host,
            "port": port,
            "username": username,
            "password": password,
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    }


def s3_media_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    custom_domain: str = "",
) -> tuple[dict[str, Any], str]:
    """``STORAGES["default"]`` and ``MEDIA_URL`` for media on S3-compatible storage.

    The files' public address is one place: ``custom_domain`` (a CDN or media host,
    ``media.example.de`` or ``https://media.example.de/prefix``), else the endpoint's
    path-style bucket URL (MinIO, Garage, Ceph, moto: ``http://host:9000/bucket``), else
    AWS's virtual-hosted bucket host. django-storages builds every file URL from it, and
    ``MEDIA_URL`` names it, so the body sanitiser and the CSP allow exactly that origin.
    """
    if "://" in custom_domain:
        parts = urlsplit(custom_domain)
        protocol, domain = f"{parts.scheme}:", f"{parts.netloc}{parts.path}".rstrip("/")
    elif custom_domain:
        protocol, domain = "https:", custom_domain.rstrip("/")
    elif endpoint_url:
        parts = urlsplit(endpoint_url)
        protocol = f"{parts.scheme}:"
        domain = f"{parts.netloc}{parts.path.rstrip('/')}/{bucket}"
    else:
        protocol = "https:"
        domain = f"{bucket}.s3.{region}.amazonaws.com" if region else f"{bucket}.s3.amazonaws.com"
    if protocol not in ("https:", "http:") or not domain:
        raise ImproperlyConfigured(
            f"S3_CUSTOM_DOMAIN / S3_ENDPOINT_URL must be http(s) addresses, got {custom_domain or endpoint_url!r}."
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "custom_domain": domain,
        "url_protocol": protocol,
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if endpoint_url:
        # S3-compatible servers address buckets by path; the derived URL above does too.
        options["addressing_style"] = "path"
    storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    return storage, f"{protocol}//{domain}/"


def url_origin(url: str) -> str:
    """``https://media.example.de`` for an absolute URL; ``""`` for a path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
