"""Placeholder hook: the ads work renders labelled ad slots with ``{% ad_slot "code" %}``."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def ad_slot(context, code: str) -> str:
    return ""
