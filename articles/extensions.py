"""Extension points of the articles app: what other apps may plug into (public, like
``models``, ``services``, ``selectors`` and ``signals``; see tests/test_architecture.py).

- ``ARTICLE_ADMIN_INLINES``: inlines other apps add to the article admin from their
  ``AppConfig.ready()`` (comments: feedback points; ticker: its entries, with
  ``show_on_add = False`` as it only belongs on an existing article). articles imports none of them.
- ``URLIFY_DE``: the admin media that give prepopulated slugs the site's slug rules
  (ä → ae, ß → ss, any script transliterated), for every admin with a slug field.
"""

from __future__ import annotations

from django.contrib.admin.options import InlineModelAdmin

ARTICLE_ADMIN_INLINES: list[type[InlineModelAdmin]] = []

# urlify_de.js replaces Django's URLify, so it must load after admin/js/urlify.js (which
# would overwrite it). Naming urlify.js first in the same Media list makes Django's media
# merge keep that order. slug_table.js is its transliteration table (generated).
URLIFY_DE = [
    "admin/js/urlify.js",
    "articles/admin/slug_table.js",
    "articles/admin/urlify_de.js",
]
