"""``core.links.id_url`` gives exactly what ``reverse()`` gives, for every view of the site
that takes one integer id, in every language and under a script prefix (issue #14)."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse, set_script_prefix
from django.urls.converters import IntConverter
from django.utils import translation

from core.links import id_url


def views_with_one_id(resolver: URLResolver, namespace: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += views_with_one_id(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = list(getattr(entry.pattern, "converters", {}).values())
            if len(converters) == 1 and isinstance(converters[0], IntConverter):
                found.append(f"{namespace}{entry.name}")
    return found


def test_id_urls_are_the_reversed_urls_for_every_view_with_one_id():
    views = sorted(set(views_with_one_id(get_resolver())))
    assert {"comments:compose", "comments:report", "comments:notice_comment"} <= set(views)
    try:
        for prefix in ("/", "/zeitung/"):
            set_script_prefix(prefix)
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for view in views:
                        for pk in (1, 42, 987_654_321_987 + 1):
                            assert id_url(view, pk) == reverse(view, args=[pk]), (view, language)
    finally:
        set_script_prefix("/")


def test_a_view_without_an_id_is_refused():
    with pytest.raises(Exception):  # noqa: B017, PT011 - reverse() or our check, either refuses
        id_url("articles:home", 1)
