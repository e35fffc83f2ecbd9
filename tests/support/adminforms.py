"""Submit an admin form the way a browser would: the values as rendered, unchanged.

``form_fields(html, form_id)`` parses the rendered page with the real widgets'
output (inputs, checkboxes, radios, selects, textareas, hidden management
forms) and returns the (name, value) pairs a browser sends for that form,
following the HTML rules: unchecked boxes are absent, a single select without a
selected option sends its first option, a textarea drops one leading newline,
disabled controls and inline templates (``__prefix__``) are left out, file
inputs send nothing.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.depth = 0
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None
        self.found = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            if not self.in_form and (self.form_id is None or attributes.get("id") == self.form_id):
                self.in_form, self.found, self.depth = True, True, 1
            elif self.in_form:
                self.depth += 1
            return
        if not self.in_form:
            return
        name = attributes.get("name")
        disabled = "disabled" in attributes
        if tag == "input" and name and not disabled:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self._add(name, attributes.get("value", "on"))
                return
            self._add(name, attributes.get("value") or "")
        elif tag == "select" and name and not disabled:
            self._select = {
                "name": name,
                "multiple": "multiple" in attributes,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attributes.get("value"),
                "selected": "selected" in attributes,
                "text": "",
            }
            self._select["options"].append(self._option)
        elif tag == "textarea" and name and not disabled:
            self._textarea = {"name": name, "text": ""}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "option":
            self._option = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.depth -= 1
            if self.depth == 0:
                self.in_form = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            values = [
                option["value"] if option["value"] is not None else option["text"]
                for option in select["options"]
                if option["selected"]
            ]
            if not values and not select["multiple"] and select["options"]:
                first = select["options"][0]
                values = [first["value"] if first["value"] is not None else first["text"]]
            if not select["multiple"]:
                values = values[-1:]
            for value in values:
                self._add(select["name"], value)
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self._add(self._textarea["name"], text)
            self._textarea = None

    def _add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:
            self.fields.append((name, value))


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits for the form ``form_id`` (or the first form)."""
    parser = _FormParser(form_id)
    parser.feed(html)
    parser.close()
    if not parser.found:
        raise AssertionError(f"no <form id={form_id!r}> in the page")
    return parser.fields


def as_post_data(fields: list[tuple[str, str]], **extra: str) -> dict[str, list[str]]:
    """``fields`` as the dict of lists that Django's test client posts (repeated names kept)."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in extra.items():
        data[name] = [value]
    return data
