"""``{% url %}`` through ``core.links.cached_reverse`` (a builtin of the template engine,
``TEMPLATES`` in settings, so every template's ``{% url %}`` is this one).

Same syntax and result as Django's tag (``{% url "name" arg key=value as var %}``); a
URL is reversed once per process, language, script prefix, URLconf and current app and
then filled in (``core.links``). Arguments other than ids and ASCII slugs, and mixed
positional and keyword arguments, go through ``reverse()`` as before.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape

from core.links import cached_reverse

register = template.Library()


class CachedURLNode(URLNode):
    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs: dict[str, Any] = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:  # as Django's tag
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            if args and kwargs:  # reverse() refuses both: its error, not ours
                url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
            else:
                url = cached_reverse(
                    view_name, args=args, kwargs=kwargs or None, current_app=current_app
                )
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> CachedURLNode:
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
