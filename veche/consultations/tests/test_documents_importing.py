"""Importing drafts: splitting pasted text and HTML, extraction from DOCX/ODT/PDF files built here, and properties of
the splitter and the word diff (hypothesis)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veche.consultations import importing, textdiff
from veche.consultations.files import safe_filename, sniff_attachment
from veche.consultations.tests.documents_files import PNG_1PX, docx, odt, pdf


def test_plain_text_splits_on_blank_lines_and_numbered_headings():
    sections = importing.split_document(
        "Preamble text.\n\n1. Introduction\n\nThe town plans\na new park.\n\n§ 2\n\nTrees are planted.\n\nBenches too."
    )
    assert [(s.heading, s.number) for s in sections] == [("", ""), ("1. Introduction", "1"), ("§ 2", "§ 2")]
    assert sections[1].paragraphs == ["<p>The town plans a new park.</p>"]
    assert importing.paragraph_count(sections) == 4


def test_html_headings_become_sections_and_blocks_paragraphs():
    sections = importing.split_document(
        "<h1>Article 1 Scope</h1><p>One <strong>bold</strong>.</p><ul><li>a</li><li>b</li></ul>"
        "<h3>Article 2</h3><p>Two</p><div>loose text</div>"
    )
    assert [s.number for s in sections] == ["Article 1", "Article 2"]
    assert sections[0].paragraphs == ["<p>One <strong>bold</strong>.</p>", "<ul><li>a</li><li>b</li></ul>"]
    assert sections[1].paragraphs == ["<p>Two</p>", "<p>loose text</p>"]


def test_html_is_sanitised():
    sections = importing.split_document('<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:x">l</a></p>')
    text = sections[0].paragraphs[0]
    assert "script" not in text and "onclick" not in text and "javascript" not in text


def test_empty_and_oversized_input_is_refused():
    with pytest.raises(importing.DocumentImportError) as caught:
        importing.split_document("   \n\n  <p> </p>")
    assert caught.value.code == "empty"
    with pytest.raises(importing.DocumentImportError) as caught:
        importing.split_document("\n\n".join(f"Paragraph {n}." for n in range(importing.MAX_PARAGRAPHS + 1)))
    assert caught.value.code == "too_many_paragraphs"


def test_pdf_text_without_blank_lines_ends_paragraphs_at_sentence_ends():
    sections = importing.split_document("1. Intro\nThe park will\nbe large.\nIt opens in May.\n2. Trees\nOaks.")
    assert [s.heading for s in sections] == ["1. Intro", "2. Trees"]
    assert sections[0].paragraphs == ["<p>The park will be large.</p>", "<p>It opens in May.</p>"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1. Introduction", True),
        ("2.1 Scope of the plan", True),
        ("§ 3", True),
        ("Článek 4", True),
        ("Article 2 — Scope", True),
        ("PART ONE", True),
        ("The town will plant trees.", False),
        ("1. The town shall plant trees along the river.", False),
        ("CIVIL. society", False),
    ],
)
def test_looks_like_heading(line, expected):
    assert importing.looks_like_heading(line) is expected


def test_docx_headings_and_paragraphs():
    data = docx([("h1", "1. Úvod"), ("p", "První odstavec."), ("h2", "Article 2 Scope"), ("p", "<b>not a tag</b>")])
    assert importing.sniff_format(data) == "docx"
    sections = importing.split_document(importing.extract(data, "docx"))
    assert [(s.heading, s.number) for s in sections] == [("1. Úvod", "1"), ("Article 2 Scope", "Article 2")]
    assert sections[1].paragraphs == ["<p>&lt;b&gt;not a tag&lt;/b&gt;</p>"]


def test_odt_headings_lists_and_paragraphs():
    blocks = [("h1", "§ 1 Intro"), ("p", "Text one."), ("li", "first"), ("li", "second"), ("h2", "§ 2"), ("p", "Two")]
    data = odt(blocks)
    assert importing.sniff_format(data) == "odt"
    sections = importing.split_document(importing.extract(data))
    assert [s.number for s in sections] == ["§ 1", "§ 2"]
    assert sections[0].paragraphs == ["<p>Text one.</p>", "<ul><li>first</li><li>second</li></ul>"]


def test_pdf_text():
    data = pdf(["1. Introduction", "The town plans a park.", "2. Trees", "We plant trees."])
    assert importing.sniff_format(data) == "pdf"
    sections = importing.split_document(importing.extract(data))
    assert [s.heading for s in sections] == ["1. Introduction", "2. Trees"]
    assert sections[1].paragraphs == ["<p>We plant trees.</p>"]


def test_the_format_is_judged_by_content_not_by_name():
    with pytest.raises(importing.DocumentImportError) as caught:
        importing.extract(b"<html><script>alert(1)</script></html>", "docx")
    assert caught.value.code == "unsupported"
    with pytest.raises(importing.DocumentImportError):
        importing.extract(pdf(["x"]), "docx")
    with pytest.raises(importing.DocumentImportError) as caught:
        importing.extract(b"%PDF-1.4 garbage")
    assert caught.value.code == "unreadable"


def test_attachment_types_by_magic_bytes():
    assert sniff_attachment(pdf(["x"])) == "pdf"
    assert sniff_attachment(PNG_1PX) == "png"
    assert sniff_attachment(docx([("p", "x")])) == "docx"
    assert sniff_attachment(odt([("p", "x")])) == "odt"
    assert sniff_attachment(b"<svg onload=alert(1)>") is None
    assert sniff_attachment(b"MZ\x90\x00") is None
    assert safe_filename("../../etc/pass wd<script>.exe", "pdf") == "pass wd_script.pdf"
    assert safe_filename("", "jpeg") == "attachment.jpg"


# --- properties ----------------------------------------------------------------------------------------------------

texty = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
PIECES = ["<p>", "</p>", "<h1>", "</h1>", "<h2>", "</h2>", "<ul><li>", "</li></ul>", "<script>", "<br>", "</a>"]
PIECES += ["<a href='javascript:1'>", "<div>", "§ 1", "1. ", "\n\n", "Text", " word", "<", ">", "&"]
htmly = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(texty, htmly))
def test_splitting_never_crashes_and_returns_clean_html(source):
    try:
        sections = importing.split_document(source)
    except importing.DocumentImportError as problem:
        assert problem.code == "empty"
        return
    assert importing.paragraph_count(sections) >= 1
    for section in sections:
        assert len(section.heading) <= importing.HEADING_MAX_CHARS
        for paragraph in section.paragraphs:
            assert "<script" not in paragraph.lower() and "javascript:" not in paragraph.lower()
            assert importing.html_to_text(paragraph)


@settings(max_examples=200, deadline=None)
@given(st.one_of(texty, htmly))
def test_the_preview_round_trip_keeps_the_split(source):
    try:
        sections = importing.split_document(source)
    except importing.DocumentImportError:
        return
    again = importing.split_document(importing.drafts_to_html(sections))
    assert [(s.heading, s.number, s.paragraphs) for s in again] == [
        (s.heading, s.number, s.paragraphs) for s in sections
    ]


words = st.lists(st.sampled_from(["the", "park", "opens", "at", "8", "7", "every", "day", "trees", "."]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_word_diff_reconstructs_both_sides(before, after):
    a, b = " ".join(before), " ".join(after)
    segments = textdiff.word_diff(a, b)
    assert segments is not None
    assert textdiff.side(segments, "before").split() == a.split()
    assert textdiff.side(segments, "after").split() == b.split()
    kinds = [kind for kind, _ in segments]
    assert all(first != second for first, second in zip(kinds, kinds[1:], strict=False))


def test_word_diff_example_and_limit():
    assert textdiff.word_diff("The park opens at 8.", "The park opens at 7 every day.") == [
        ("same", "The park opens at"),
        ("removed", "8."),
        ("added", "7 every day."),
    ]
    assert textdiff.word_diff("a " * 1000, "b " * 1000, max_pairs=1000) is None
    assert re.fullmatch(r"\d+", str(textdiff.changed_words([("removed", "a b"), ("added", "c")]))) is not None
