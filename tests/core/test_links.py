"""``core.links.cached_reverse`` gives exactly what ``reverse()`` gives, for every view of
the site with id and slug arguments, in every language and under a script prefix (issue #14:
links without a ``reverse()`` each)."""

import pytest
from django.conf import settings
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
    set_script_prefix,
)
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from django.utils import translation

from core.links import cached_reverse, id_url

SAMPLES = {IntConverter: [1, 42, 987_654_321_901], SlugConverter: ["a", "ein-slug_2", "zzlinkzz0"]}
# Values that need quoting (str converters) go through reverse().
SAMPLES[StringConverter] = ["Straße", "mit leerzeichen", *SAMPLES[SlugConverter]]


def named_patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """(namespaced name, pattern) of every named view of ``resolver``."""
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def views(resolver: URLResolver) -> list[tuple[str, dict]]:
    """(name, {argument: converter class}) of every named view with only int/slug/str
    arguments."""
    found = []
    for name, pattern in named_patterns(resolver):
        converters = {n: type(c) for n, c in getattr(pattern.pattern, "converters", {}).items()}
        if converters and all(c in SAMPLES for c in converters.values()):
            found.append((name, converters))
    return found


def test_cached_urls_are_the_reversed_urls_for_every_view_with_ids_and_slugs():
    found = views(get_resolver())
    names = {name for name, _converters in found}
    assert {"comments:report", "articles:detail", "articles:section"} <= names
    checked = 0
    try:
        for prefix in ("/", "/zeitung/"):
            set_script_prefix(prefix)
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for name, converters in found:
                        for i in range(3):
                            kwargs = {
                                a: SAMPLES[c][i % len(SAMPLES[c])] for a, c in converters.items()
                            }
                            try:
                                expected = reverse(name, kwargs=kwargs)
                            except NoReverseMatch:
                                continue  # the same name used twice with other arguments
                            assert cached_reverse(name, kwargs=kwargs) == expected, (name, kwargs)
                            if len(kwargs) == 1:
                                args = tuple(kwargs.values())
                                assert cached_reverse(name, args=args) == expected
                            checked += 1
    finally:
        set_script_prefix("/")
    assert checked > 50


def test_a_url_in_another_language_is_that_languages_url():
    with translation.override("en"):
        english = reverse("comments:report", args=[7])
    with translation.override("de"):
        assert cached_reverse("comments:report", args=(7,), language="en") == english
        assert id_url("comments:report", 7) == reverse("comments:report", args=[7])


def test_a_view_that_does_not_take_the_values_is_refused():
    with pytest.raises(NoReverseMatch):
        id_url("articles:home", 1)


def every_named_view(resolver: URLResolver) -> list[tuple[str, dict]]:
    """(name, {argument: sample value}) of every named view of the site: the views of
    ``views()`` with their samples, regex arguments (archive years, months) with a fitting
    number, views without arguments with none."""
    found = [
        (name, {n: SAMPLES[c][1] for n, c in converters.items()})
        for name, converters in views(resolver)
    ]
    for name, pattern in named_patterns(resolver):
        if not getattr(pattern.pattern, "converters", {}):
            groups = pattern.pattern.regex.groupindex
            found.append((name, {n: "2025" if n == "year" else "3" for n in groups}))
    return found


def test_the_url_tag_gives_what_reverse_gives_for_every_named_view():
    """``{% url %}`` is ``core.templatetags.links`` (a builtin): every named view, with
    and without arguments, in every language, under a script prefix and for the admin's
    current app, renders the URL ``reverse()`` gives."""
    from django.template import Context, Template
    from django.test import RequestFactory

    found = every_named_view(get_resolver())
    assert {"articles:home", "articles:archive_year", "admin:index"} <= {n for n, _ in found}
    positional = Template("{% url name arg %}")
    checked = 0
    try:
        for prefix in ("/", "/zeitung/"):
            set_script_prefix(prefix)
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for name, kwargs in found:
                        try:
                            expected = reverse(name, kwargs=kwargs)
                        except NoReverseMatch:
                            continue  # the same name used twice with other arguments
                        tag = " ".join(f"{k}={k}" for k in kwargs)
                        rendered = Template(f"{{% url name {tag} %}}").render(
                            Context({"name": name, **kwargs})
                        )
                        assert rendered == expected.replace("&", "&amp;"), (name, kwargs)
                        if len(kwargs) == 1:
                            value = next(iter(kwargs.values()))
                            context = Context({"name": name, "arg": value})
                            assert positional.render(context) == rendered, name
                        checked += 1
    finally:
        set_script_prefix("/")
    assert checked > 100
    request = RequestFactory().get("/")
    request.current_app = "admin"
    as_admin = Template("{% url 'admin:index' %}").render(Context({"request": request}))
    assert as_admin == reverse("admin:index", current_app="admin")


def test_the_url_tag_keeps_djangos_as_and_error_behaviour():
    from django.template import Context, Template

    assert Template("{% url 'nirgends' as link %}[{{ link }}]").render(Context()) == "[]"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nirgends' %}").render(Context())
    with pytest.raises(ValueError, match="mix"):  # mixed arguments: reverse()'s refusal
        Template("{% url 'comments:report' 1 comment_id=2 %}").render(Context())
    link = Template("{% url 'comments:report' 5 as link %}{{ link }}").render(Context())
    assert link == reverse("comments:report", args=[5])
