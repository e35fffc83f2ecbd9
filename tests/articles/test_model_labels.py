"""Model labels (``str()``) that the admin shows in lists, choosers and log entries."""

from articles.models import Image


def test_image_without_file_or_alt_text_has_an_empty_label():
    # FieldFile.name is None for an image whose file was cleared; str() must still be a str
    # (it raised TypeError: __str__ returned non-string).
    assert str(Image(file=None)) == ""


def test_image_label_is_its_alt_text():
    assert str(Image(alt_text="Landtag in Kiel", file=None)) == "Landtag in Kiel"
