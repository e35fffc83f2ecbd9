"""Draw the default publisher logo (static/img/publisher-logo.png, 512×512).

Search engines show it for the publisher of every article (NewsArticle ``publisher.logo``,
the home page's ``NewsMediaOrganization``); Google asks for at least 112×112 pixels.
A newsroom replaces it with its own (``NEWSROOM_PUBLISHER_LOGO``). Run once:
``.venv/bin/python tools/build_logo.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.demo_fonts import demo_font  # noqa: E402 - after the path above

OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "publisher-logo.png"
SIZE = 512
ACCENT = (11, 79, 138)  # --accent in static/css/site.css


def main() -> None:
    picture = Image.new("RGB", (SIZE, SIZE), ACCENT)
    draw = ImageDraw.Draw(picture)
    draw.text(
        (SIZE // 2, SIZE // 2 - 10), "n", fill=(255, 255, 255), font=demo_font(380), anchor="mm"
    )
    draw.rectangle([96, 400, SIZE - 96, 424], fill=(255, 255, 255))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    picture.save(OUT, "PNG", optimize=True)
    print(OUT)


if __name__ == "__main__":
    main()
