"""The README's table of reader URLs names URLs that exist."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

README = Path(settings.BASE_DIR) / "README.md"


def _reader_url_table() -> dict[str, str]:
    """``{url pattern: description}`` of the table under "## Reader site"."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Reader site") :]
    section = section[: section.index("\n## ", 1)]
    return dict(re.findall(r"^\| `([^`]+)`[^|]*\| (.+) \|$", section, flags=re.MULTILINE))


def test_readme_documents_the_staff_preview_at_its_real_url():
    """It named /vorschau/<id>/, which is an unknown section answering 404."""
    table = _reader_url_table()
    preview = [url for url, text in table.items() if "preview" in text]
    assert preview == ["/admin/articles/article/<id>/vorschau/"]
    assert reverse("admin:articles_article_preview", args=[7]) == preview[0].replace("<id>", "7")
