"""The "processes you ran" lines: parsing, round trips, and refusing unsafe addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from veche.network.processes import ProcessLineError, format_processes, parse_processes
from veche.network.textsearch import fold, prefix_tsquery, terms


def test_lines_with_and_without_addresses():
    text = (
        "PB Kolín 2024 | https://example.org/pb\n\n"
        "Citizens' panel Gdynia https://example.org/p\nWorkshop\nCase | /en/map/cases/3/"
    )
    assert parse_processes(text) == [
        {"title": "PB Kolín 2024", "url": "https://example.org/pb"},
        {"title": "Citizens' panel Gdynia", "url": "https://example.org/p"},
        {"title": "Workshop", "url": ""},
        {"title": "Case", "url": "/en/map/cases/3/"},
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("| https://example.org", "no_title"),
        ("x" * 201, "title_too_long"),
        ("\n".join(f"p{n}" for n in range(31)), "too_many"),
        ("Title | //evil.example/x", "bad_url"),
    ],
)
def test_bad_lines(text, reason):
    with pytest.raises(ProcessLineError) as error:
        parse_processes(text)
    assert error.value.reason == reason


def test_javascript_is_never_an_address():
    assert parse_processes("Title javascript:alert(1)") == [{"title": "Title javascript:alert(1)", "url": ""}]


titles = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="|/\r\n\x0b\x0c\x1c\x1d\x1e\x85"
        ),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(lambda value: value and not value.lower().startswith(("http", "/")) and " http" not in value.lower())
)
urls = st.sampled_from(["", "https://example.org/a", "http://example.org/b?c=d", "/en/processes/x/"])


@given(st.lists(st.tuples(titles, urls), max_size=10))
def test_format_then_parse_round_trips(items):
    parsed = [{"title": title, "url": url} for title, url in items]
    assert parse_processes(format_processes(parsed)) == parsed


@given(st.text(max_size=200))
def test_every_url_parsed_is_safe(text):
    try:
        items = parse_processes(text)
    except ProcessLineError:
        return
    for item in items:
        assert item["url"] == "" or item["url"].lower().startswith(("https://", "http://", "/"))
        assert not item["url"].startswith("//")


@given(st.text(max_size=300))
def test_query_terms_are_safe_for_tsquery(query):
    words = terms(query)
    assert len(words) <= 8
    tsquery = prefix_tsquery(words)
    for word in words:
        assert word.isalnum() or all(char.isalnum() or char == "_" for char in word)
    assert all(char not in tsquery for char in "!()|'\\")


def test_fold():
    assert fold("Łódź Dvořáková ŽLUŤOUČKÝ") == "lodz dvorakova zlutoucky"
