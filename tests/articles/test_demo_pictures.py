"""The demo content draws German text with real glyphs, not missing-glyph boxes."""

import io

from PIL import Image, ImageChops, ImageFont

from core.demo_fonts import demo_font
from newsroom.management.commands.seed_demo import demo_picture

GERMAN = "Bürgerämter Straße ÄÖÜ ẞ"
NOT_IN_ANY_FONT = "\U0010fffd"  # a private-use code point: every font draws .notdef


def glyph(font, char: str) -> tuple[tuple[int, int], bytes]:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


def test_the_missing_glyph_check_catches_pillows_default_font():
    """Pillow's bundled font has no umlauts: the comparison below would see them."""
    font = ImageFont.load_default(size=40)
    assert glyph(font, "ä") == glyph(font, NOT_IN_ANY_FONT)


def test_demo_font_has_a_glyph_for_every_letter_of_german_text():
    font = demo_font(40)
    notdef = glyph(font, NOT_IN_ANY_FONT)
    missing = [char for char in GERMAN if not char.isspace() and glyph(font, char) == notdef]
    assert missing == []


def decoded(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("L")


def test_demo_picture_draws_umlaut_initials_as_the_letter_with_dots():
    """'Ä' differs from 'A' only above the letter (the dots), not as a box would."""
    size = (640, 360)
    with_umlaut = decoded(demo_picture("Ärger Übung", (23, 62, 110), size=size))
    without = decoded(demo_picture("Arger Ubung", (23, 62, 110), size=size))
    difference = ImageChops.difference(with_umlaut, without)
    upper = difference.crop((0, 0, size[0], size[1] // 2 - 40))
    lower = difference.crop((0, size[1] // 2, size[0], size[1]))
    assert upper.getbbox() is not None, "the dots are drawn"
    assert lower.getextrema()[1] < 24, "the letter's body is the same glyph (JPEG noise only)"
