"""``{% fragment %}``: a cached piece of a reader page (see ``core.fragments``).

    {% fragment "related" article.pk depends=page.related_depends %}
      ... expensive markup ...
    {% endfragment %}

The first argument names the fragment, the others (and the current language) tell
its copies apart; ``depends`` is resolved *after* the content rendered (so it can name
what the content loaded, e.g. the teasers shown) and gives the page-cache tags the
fragment depends on. Staff previews (``is_preview`` in the context) are never cached.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils import translation
from django.utils.safestring import mark_safe

from core import fragments, pagecache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        name: FilterExpression,
        parts: list[FilterExpression],
        depends: FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.parts = parts
        self.depends = depends

    def render(self, context: Context) -> str:
        def build() -> tuple[str, list[str]]:
            html = self.nodelist.render(context)
            tags = list(self.depends.resolve(context) or ()) if self.depends else []
            return html, tags

        if context.get("is_preview"):
            return self.nodelist.render(context)
        parts = [translation.get_language(), *(part.resolve(context) for part in self.parts)]
        html, tags = fragments.cached(str(self.name.resolve(context)), *parts, build=build)
        pagecache.collect_tags(context.get("request"), tags)
        return mark_safe(str(html))  # noqa: S308 - our own rendered template output


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    depends = None
    parts = []
    for bit in bits[1:]:
        if bit.startswith("depends="):
            depends = parser.compile_filter(bit.removeprefix("depends="))
        else:
            parts.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[0]), parts, depends)
