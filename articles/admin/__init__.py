"""The articles app in the Django admin, one module per kind of page.

- ``article``: the article change form with its workflow panel, bulk actions, old URLs
- ``preview``: the staff preview of an article
- ``revisions``: an article's revision history, compare and restore
- ``taxonomy``: sections, authors, agencies and tags
- ``images``: the picture library
- ``base``: what the article admin's pages share

Importing the package registers every model admin with ``admin.site``. Other apps
extend the article admin through ``articles.extensions``, not through this package.
"""

from articles.admin import article, images, preview, revisions, taxonomy

__all__ = ["article", "images", "preview", "revisions", "taxonomy"]
