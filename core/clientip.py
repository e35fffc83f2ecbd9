"""The one answer to "which address is this reader?" for every limit, ban and log.

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy, so every reader would share
one rate limit, one ban and one admin lock-out. ``client_ip`` therefore honours
``X-Forwarded-For``, but only when the direct peer (``REMOTE_ADDR``) is listed in
``settings.TRUSTED_PROXIES``. The header is read from the right: each proxy
appends the address it saw, so the entries at the right end were written by our
own proxies and everything further left came from the client. The first address
from the right that is not a trusted proxy is the client; whatever the client
wrote to the left of it is ignored. A malformed entry among the ones we have to
read makes the header worthless: then the answer is ``REMOTE_ADDR``.

Without ``TRUSTED_PROXIES`` (the default) the header is never read, so a forged
``X-Forwarded-For`` changes nothing.

Used by: the shared rate limiter's callers (search, comments, reports, mails),
comment bans and the stored comment IP, and django-axes
(``AXES_CLIENT_IP_CALLABLE``) for the admin lock-out and its access logs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:  # the settings import this module: keep it light
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: Iterable[str], *, setting: str = "TRUSTED_PROXIES") -> tuple[str, ...]:
    """Addresses and CIDR ranges (IPv4 and IPv6) in canonical form.

    Raises ``ImproperlyConfigured`` naming every invalid entry, so a typo in the
    proxy list stops the site at start-up instead of silently trusting nobody
    (or, with a too wide range, everybody).
    """
    valid, invalid = [], []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        try:
            valid.append(str(ipaddress.ip_network(text, strict=False)))
        except ValueError:
            invalid.append(text)
    if invalid:
        raise ImproperlyConfigured(
            f"{setting} contains entries that are neither an IP address nor a CIDR range: "
            f"{', '.join(repr(item) for item in invalid)}. Use a comma-separated list such as "
            f"'10.0.0.5,10.0.1.0/24,fd00::/8'."
        )
    return tuple(valid)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> Address | None:
    """An address from a header or REMOTE_ADDR; None when it is not one."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):  # "[2001:db8::1]"
        text = text[1:-1]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # "::ffff:192.0.2.1" is the IPv4 reader 192.0.2.1
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address as a canonical string, or None when it is unknown.

    ``REMOTE_ADDR`` unless it is a trusted proxy; then the first untrusted address
    from the right of ``X-Forwarded-For`` (the leftmost one if all are trusted).
    No side effects.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not header.strip():
        return str(remote)
    client = remote
    for entry in reversed(header.split(",")):
        address = _address(entry)
        if address is None:
            return str(remote)  # malformed where our proxies wrote: not usable
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
