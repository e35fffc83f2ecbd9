"""The font the demo content (``seed_demo``) draws its pictures and banners with.

Pillow's bundled default font (Aileron, a subset) has no ä, ö, ü or ß: German
initials and banner texts came out as missing-glyph boxes. DejaVu Sans Bold
(free licence, see ``LICENSE`` beside this file) covers Latin, Greek and
Cyrillic.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import ImageFont

FONT_PATH = Path(__file__).resolve().parent / "DejaVuSans-Bold.ttf"


@cache
def demo_font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans Bold at ``size`` pixels (loaded once per size)."""
    return ImageFont.truetype(str(FONT_PATH), size)
