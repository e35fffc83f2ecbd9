"""Splitting the cleaned body for the inline ad slot and placing the agency credit."""

from articles.body import split_body


def test_body_is_split_after_the_second_top_level_paragraph():
    parts = split_body(
        "<p>A</p><blockquote><p>B</p></blockquote><p>C</p><p>D</p>", after_paragraph=2
    )
    assert parts.before == "<p>A</p><blockquote><p>B</p></blockquote><p>C</p>"
    assert parts.after == "<p>D</p>"


def test_short_body_is_not_split():
    parts = split_body("<p>A</p><p>B</p>", after_paragraph=2)
    assert parts.before == "<p>A</p><p>B</p>"
    assert parts.after == ""


def test_credit_goes_into_the_last_paragraph():
    parts = split_body("<p>A</p><p>B</p><p>C <em>D</em></p>", after_paragraph=2, credit="dpa")
    assert parts.after == "<p>C <em>D</em> (dpa)</p>"


def test_credit_gets_its_own_paragraph_after_a_list():
    parts = split_body("<p>A</p><ul><li>x</li></ul>", after_paragraph=2, credit="AFP")
    assert parts.before.endswith('<ul><li>x</li></ul><p class="agency-credit">(AFP)</p>')


def test_credit_is_escaped():
    parts = split_body("<p>A</p>", after_paragraph=2, credit="<b>")
    assert parts.before == "<p>A (&lt;b&gt;)</p>"


def test_multiline_html_offsets_are_right():
    parts = split_body("<p>A\nA</p>\n<p>B</p>\n<p>C</p>", after_paragraph=2, credit="dpa")
    assert parts.before == "<p>A\nA</p>\n<p>B</p>"
    assert parts.after == "\n<p>C (dpa)</p>"
