"""clean_html keeps simple formatting and removes everything that could run or track."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from veche.core.sanitize import clean_html


def test_formatting_is_kept():
    html = "<p>A <strong>bold</strong> and <em>quiet</em> claim.</p><ul><li>one</li></ul>"
    assert clean_html(html) == html


def test_scripts_styles_and_event_handlers_are_removed():
    cleaned = clean_html('<p onclick="steal()">Hi<script>alert(1)</script><style>p{}</style><img src=x onerror=y></p>')
    assert cleaned == "<p>Hi</p>"


def test_links_keep_safe_schemes_only_and_get_rel():
    assert clean_html('<a href="javascript:alert(1)">x</a>') == '<a rel="noopener noreferrer nofollow">x</a>'
    safe = clean_html('<a href="https://example.org" target="_blank" style="color:red">x</a>')
    assert safe == '<a href="https://example.org" rel="noopener noreferrer nofollow">x</a>'
    assert 'href="mailto:a@example.org"' in clean_html('<a href="mailto:a@example.org">a</a>')


def test_empty_and_none_give_an_empty_string():
    assert clean_html("") == ""
    assert clean_html(None) == ""  # type: ignore[arg-type]


@given(st.text())
def test_no_input_produces_a_script_tag_or_handler(text):
    cleaned = clean_html(text).lower()
    assert "<script" not in cleaned
    assert " onerror=" not in cleaned
