"""Finds what could execute in an HTML page, with the standard library's parser.

``audit(html)`` returns a list of findings (empty = nothing executable from
content): inline scripts (``<script>`` without ``src``; JSON-LD data blocks are
checked for a break-out instead), ``on*`` event-handler attributes,
``javascript:``/``vbscript:``/``data:`` URLs in URL attributes (``data:`` images
excepted), dangerous elements (``object``, ``embed``, ``base``, ``meta refresh``,
unsandboxed ``iframe``), and CSS expressions in style attributes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "background", "cite", "data",
    "xlink:href", "srcset", "ping", "manifest", "codebase", "lowsrc", "dynsrc",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x20\u00a0\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|livescript|data):", re.IGNORECASE)
_SAFE_DATA = re.compile(r"^data:image/(png|gif|jpeg|webp|avif);", re.IGNORECASE)


def _scheme_probe(value: str) -> str:
    # Browsers ignore control characters, whitespace and entities' results inside a
    # scheme ("java\tscript:"); html.parser already decoded entities.
    return _CONTROL.sub("", value)


class _Auditor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(f"event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES:
                for candidate in value.split(",") if name == "srcset" else [value]:
                    probe = _scheme_probe(candidate.strip())
                    if _DANGEROUS_SCHEME.match(probe) and not (
                        tag in ("img", "source") and _SAFE_DATA.match(probe)
                    ):
                        self.findings.append(f"dangerous URL {name}={value!r} on <{tag}>")
            if name == "style" and re.search(
                r"expression\s*\(|javascript:|behavior\s*:|-moz-binding", value, re.IGNORECASE
            ):
                self.findings.append(f"CSS expression in style={value!r} on <{tag}>")
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            self._script = {"src": attributes.get("src"), "type": kind, "text": ""}
        elif tag in ("object", "embed", "applet", "base"):
            self.findings.append(f"<{tag}> element")
        elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.findings.append("<meta http-equiv=refresh>")
        elif tag in ("iframe", "frame") and "sandbox" not in attributes:
            self.findings.append(f"<{tag}> without sandbox")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            script, self._script = self._script, None
            if script["src"]:
                return
            if script["type"] in ("application/ld+json", "application/json"):
                # A data block is not run; it must only not let content break out.
                if "<" in script["text"]:
                    self.findings.append(f"unescaped '<' in a JSON block: {script['text'][:120]!r}")
                return
            self.findings.append(f"inline script: {script['text'][:120]!r}")


def audit(html: str) -> list[str]:
    parser = _Auditor()
    parser.feed(html)
    parser.close()
    return parser.findings


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Auditor()
    parser.feed(html)
    parser.close()
    return parser.elements
