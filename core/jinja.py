"""Jinja2 partials of the reader pages: ``render(name, context)``.

The hottest repeated markup of the reader pages (teasers, comments, pictures, the
sponsored label) is written in Jinja2 (``templates/**/*.jinja``; the environment is
``newsroom.templating``): Django's engine spent about 0.15 ms on each teaser and 0.2 ms on
each comment of a page, most of a cold page's CPU (docs/performance.md, "Jinja2 for the
repeated partials"). Django templates include them with ``{% jinja %}``
(``core.templatetags.jinja``), views call ``render``. A partial sees only the context it is
given, never the including template's, so what it shows is explicit. No side effects,
no queries of its own (what it shows is loaded by the view's selectors).
"""

from __future__ import annotations

from typing import Any

from django.template import engines
from django.utils.safestring import SafeString, mark_safe


def render(template_name: str, context: dict[str, Any]) -> SafeString:
    """The partial ``template_name`` rendered with ``context`` (Jinja2 escapes every
    value, so the result is safe HTML)."""
    env = engines["jinja2"].env  # type: ignore[attr-defined]
    html: str = env.get_template(template_name).render(context)
    return mark_safe(html)  # noqa: S308 - autoescaped
