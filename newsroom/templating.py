"""The Jinja2 environment of the repeated reader partials (``templates/**/*.jinja``).

Django's template engine stays the engine of every page; the partials it repeats many
times per page (teasers, comments, pictures, the sponsored label) are Jinja2 templates,
rendered by ``{% jinja %}`` (``core.templatetags.jinja``) at a fraction of the cost.
They keep Django's output exactly:

- values are escaped by ``django.utils.html.conditional_escape`` (``finalize``), so an
  apostrophe is ``&#x27;`` as on every other page and Django's safe strings
  (``format_html``, ``mark_safe``) pass unchanged;
- ``_("…")`` is ``{% translate %}`` (Django's ``gettext``, not escaped; ``makemessages``
  finds these strings: the ``makemessages`` target reads ``*.jinja``), ``interpolate`` is
  ``{% blocktranslate %}``'s placeholders, ``get_language()`` the active language;
- ``date``/``time`` are Django's filters on local time (``expects_localtime``), and the
  reader filters are the same functions as the ``reader``, ``comments`` and ``ticker``
  template tags.

Lives in the project package because it gathers the apps' filters (core ← apps ←
newsroom). Settings: ``TEMPLATES`` names ``environment``.
"""

from __future__ import annotations

import html
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags.static import static as static_url
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.utils.translation import get_language, gettext
from jinja2 import Environment, Undefined
from markupsafe import Markup

from articles.templatetags.reader import iso_datetime, picture
from comments.templatetags.comments import comment_text, reader_name
from core.links import cached_reverse
from ticker.templatetags.ticker import ticker_live


def date(value: Any, arg: str | None = None) -> str:
    """Django's ``|date`` (on local time, as the Django engine passes it)."""
    return defaultfilters.date(template_localtime(value), arg)


def time(value: Any, arg: str | None = None) -> str:
    """Django's ``|time`` (on local time)."""
    return defaultfilters.time(template_localtime(value), arg)


def url(viewname: str, *args: int | str, **kwargs: int | str) -> str:
    """``url("articles:section", section=slug)``: ``{% url %}`` (``core.links``: each
    view reversed once per process and language)."""
    return cached_reverse(viewname, args=args, kwargs=kwargs or None)


_static_urls: dict[str, str] = {}


def static(path: str) -> str:
    """``static("css/site.css")``: ``{% static %}``, the storage asked once per process
    and path (the hashed names of a deploy do not change while it runs)."""
    found = _static_urls.get(path)
    if found is None:
        found = _static_urls[path] = static_url(path)
    return found


@receiver(setting_changed)
def _forget_static_urls(*, setting: str, **kwargs: Any) -> None:
    """Another storage or static URL (tests): ask the storage again."""
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS"}:
        _static_urls.clear()


def truncatewords(value: Any, length: int) -> str:
    return defaultfilters.truncatewords(value, length)


def translate(message: str) -> SafeString:
    """``_("…")``: as ``{% translate "…" %}``, the translation of a template's literal is
    trusted markup (not escaped)."""
    return mark_safe(gettext(message))  # noqa: S308 - our own catalogue


def interpolate(message: str, **values: Any) -> SafeString:
    """``_("Auftraggeber: %(sponsor)s")|interpolate(sponsor=…)``: as
    ``{% blocktranslate %}``, the values escaped, the translation not."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(str(message) % escaped)  # noqa: S308 - values escaped above


def _finalize(value: Any) -> Any:
    """What Django's engine does with a printed value (``render_value_in_context``):
    numbers and dates localised, then ``conditional_escape`` (``&#x27;``, ``&quot;``),
    here without its lazy-string wrapper: called for every value a partial prints."""
    if hasattr(value, "__html__"):
        return value
    if not isinstance(value, str):
        if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
            value = str(value)  # ids: number_format's answer, without its cost
        else:
            value = localize(template_localtime(value))
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped right here


def environment(**options: Any) -> Environment:
    # Undefined (not Django's DebugUndefined under DEBUG): an optional value left out
    # (``teaser_class``, ``heading``) prints nothing in development as in production.
    options.update(keep_trailing_newline=True, finalize=_finalize, undefined=Undefined)
    env = Environment(**options)  # noqa: S701 - autoescape is on (Django's backend default)
    env.globals.update(
        _=translate,
        get_language=get_language,
        picture=picture,
        ticker_live=ticker_live,
        url=url,
        static=static,
    )
    env.filters.update(
        capfirst=defaultfilters.capfirst,
        date=date,
        time=time,
        truncatewords=truncatewords,
        iso_datetime=iso_datetime,
        reader_name=reader_name,
        comment_text=comment_text,
        interpolate=interpolate,
    )
    return env
