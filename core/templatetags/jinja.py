"""``{% jinja %}``: a Jinja2 partial inside a Django template (``core.jinja``).

    {% load jinja %}
    {% jinja "includes/teasers.jinja" articles=page.related heading="h3" hide_meta=True %}

The partial sees only the keyword arguments, not the including template's context.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from core import jinja

register = template.Library()


@register.simple_tag(name="jinja")
def jinja_partial(template_name: str, **context: Any) -> SafeString:
    return jinja.render(template_name, context)
