"""The editorial allow-list keeps formatting and drops anything that could run."""

import pytest

from core.sanitize import clean_body_html


@pytest.mark.parametrize(
    ("dirty", "expected"),
    [
        ('<p onclick="x()">Hallo <script>alert(1)</script></p>', "<p>Hallo </p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<img src="https://evil.example/x.png" alt="x">', ""),
        (
            '<img src="/media/images/a.jpg" alt="a" onerror="x()">',
            '<img src="/media/images/a.jpg" alt="a">',
        ),
        ('<h2 style="color:red">T</h2>', "<h2>T</h2>"),
        ('<iframe src="https://evil.example"></iframe><p>x</p>', "<p>x</p>"),
    ],
)
def test_body_html_is_reduced_to_the_allow_list(dirty, expected):
    assert clean_body_html(dirty) == expected


def test_cleaning_is_idempotent():
    html = '<p><strong>fett</strong> und <a href="https://example.org">Link</a></p>'
    assert clean_body_html(clean_body_html(html)) == clean_body_html(html)
