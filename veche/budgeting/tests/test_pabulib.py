"""Pabulib parsing and writing: strict errors with line numbers, exact numbers, lossless round trips."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.budgeting import pabulib
from veche.budgeting.pabulib import Instance, PabulibError, Project, Vote
from veche.budgeting.tests.data import PABULIB_DIR, pabulib_files

GOOD = '''META
key;value
description;"A test; with ""quotes"""
vote_type;cumulative
budget;1000.50
rule;greedy
PROJECTS
project_id;cost;name;selected
1;500;"Park; benches";1
10;250.25;Library;0
VOTES
voter_id;vote;points;age
a;1,10;2,1;30
b;10;3;None
c;;;41
'''


def test_parses_sections_quoting_and_exact_numbers() -> None:
    instance = pabulib.parse(GOOD.replace("\n", "\r\n"))
    assert instance.meta["description"] == 'A test; with "quotes"'
    assert instance.budget == Fraction("1000.50")
    assert instance.vote_type == "cumulative"
    assert instance.projects["10"].cost == Fraction(25025, 100)
    assert instance.projects["1"].name == "Park; benches"
    assert instance.votes["a"] == Vote("a", ("1", "10"), (Fraction(2), Fraction(1)), {"age": "30"})
    assert instance.votes["b"].fields == {"age": "None"}
    assert instance.votes["c"].projects == ()
    assert instance.selected() == frozenset({"1"})
    assert list(instance.projects) == ["1", "10"]


def test_ordinal_votes_keep_the_preference_order() -> None:
    text = GOOD.replace("vote_type;cumulative", "vote_type;ordinal").replace(
        "voter_id;vote;points;age", "voter_id;vote;age"
    )
    text = text.replace("a;1,10;2,1;30", "a;10,1;30").replace("b;10;3;None", "b;10;None").replace("c;;;41", "c;;41")
    assert pabulib.parse(text).votes["a"].projects == ("10", "1")


def test_byte_order_mark_and_blank_lines_are_accepted() -> None:
    assert pabulib.parse("\ufeff" + GOOD.replace("PROJECTS", "\n\nPROJECTS")).projects.keys() == {"1", "10"}


def _lines(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize(
    ("change", "line", "problem"),
    [
        (lambda t: "", 1, "empty"),
        (lambda t: "   \n\n", 1, "empty"),
        (lambda t: t.replace("META\n", "", 1), 1, "must start with the META section"),
        (lambda t: t.replace("PROJECTS", "PROJEKTY"), 7, "unknown section 'PROJEKTY'"),
        (lambda t: t.replace("key;value", "name;value"), 2, "key;value"),
        (lambda t: t.replace("rule;greedy", "rule;greedy\nrule;mes"), 7, "META key 'rule' appears twice"),
        (lambda t: t.replace("budget;1000.50", "budget;lots"), 8, "budget 'lots'"),
        (lambda t: t.replace("vote_type;cumulative", "vote_type;quadratic"), 8, "vote_type 'quadratic'"),
        (lambda t: t.replace("project_id;cost;name;selected", "project_id;price;name;selected"), 8, "'cost'"),
        (lambda t: t.replace("10;250.25;Library;0", "1;250.25;Library;0"), 10, "duplicate project id '1'"),
        (lambda t: t.replace("250.25", "250,25.1"), 10, "cost '250,25.1'"),
        (lambda t: t.replace("250.25", "-3"), 10, "negative"),
        (lambda t: t.replace("10;250.25;Library;0", "10;250.25;Library"), 10, "3 cells but the header has 4"),
        (lambda t: t.replace("a;1,10;2,1;30", "a;1,7;2,1;30"), 13, "unknown project '7'"),
        (lambda t: t.replace("a;1,10;2,1;30", "a;1,1;2,1;30"), 13, "lists project '1' twice"),
        (lambda t: t.replace("a;1,10;2,1;30", "a;1,10;2;30"), 13, "2 projects but 1 points"),
        (lambda t: t.replace("a;1,10;2,1;30", "a;1,10;2,x;30"), 13, "points 'x'"),
        (lambda t: t.replace("b;10;3;None", "a;10;3;None"), 14, "duplicate voter id 'a'"),
        (lambda t: t.replace("voter_id;vote;points;age", "voter_id;vote;age"), 12, "'points'"),
        (lambda t: t.split("VOTES")[0], 11, "without a VOTES section"),
        (lambda t: t + "VOTES\nvoter_id;vote\n", 16, "VOTES appears twice"),
        (lambda t: t.replace('"Park; benches"', '"Park; benches'), 9, "malformed CSV"),
    ],
)
def test_malformed_files_name_the_line_and_the_problem(change, line: int, problem: str) -> None:
    with pytest.raises(PabulibError) as caught:
        pabulib.parse(change(GOOD))
    assert caught.value.line == line, str(caught.value)
    assert problem in caught.value.problem


def test_line_numbers_count_lines_inside_quoted_cells() -> None:
    text = GOOD.replace("Library", '"Library\nwith a second line"').replace("a;1,10;2,1;30", "a;1,99;2,1;30")
    with pytest.raises(PabulibError) as caught:
        pabulib.parse(text)
    assert caught.value.line == 14


def test_numbers_format_exactly() -> None:
    assert pabulib.format_number(Fraction("1920218.79")) == "1920218.79"
    assert pabulib.format_number(Fraction(5, 1)) == "5"
    assert pabulib.format_number(Fraction(-1, 8)) == "-0.125"
    with pytest.raises(ValueError, match="finite decimal"):
        pabulib.format_number(Fraction(1, 3))
    assert pabulib.parse_number(" 12,5 ") == Fraction(25, 2)


def test_write_round_trips_and_anonymises() -> None:
    instance = pabulib.parse(GOOD)
    assert pabulib.parse(pabulib.write(instance)) == instance
    anonymous = pabulib.parse(pabulib.write(instance, anonymise_voters=True))
    assert set(anonymous.votes) == {"1", "2", "3"}
    assert sorted((v.projects, v.points, tuple(v.fields.items())) for v in anonymous.votes.values()) == sorted(
        (v.projects, v.points, tuple(v.fields.items())) for v in instance.votes.values()
    )
    # rows are sorted by content, so the original order (often the casting order) does not survive
    assert [v.projects for v in anonymous.votes.values()] == sorted(v.projects for v in instance.votes.values())


def test_writer_refuses_what_would_not_read_back() -> None:
    instance = pabulib.parse(GOOD)
    bad = Instance(
        instance.meta, {"a,b": Project("a,b", Fraction(1))}, {}, instance.project_columns, ("voter_id", "vote")
    )
    with pytest.raises(ValueError, match="comma"):
        pabulib.write(bad)


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters=";\"',\n "),
    max_size=12,
).map(str.strip)
IDS = st.text(alphabet="abcXYZ019-_/.ęł", min_size=1, max_size=6).filter(lambda s: s.lower() not in pabulib.SECTIONS)
MONEY = st.integers(0, 10**9).map(lambda c: Fraction(c, 100))


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    vote_type = draw(st.sampled_from(["approval", "cumulative", "scoring", "ordinal", "choose-1"]))
    meta = {"description": draw(TEXT), "vote_type": vote_type, "budget": pabulib.format_number(draw(MONEY))}
    meta.update(draw(st.dictionaries(IDS.map(lambda k: "x_" + k), TEXT, max_size=3)))
    extra = draw(st.lists(IDS.map(lambda k: "p_" + k), unique=True, max_size=2))
    ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    projects = {pid: Project(pid, draw(MONEY), {column: draw(TEXT) for column in ["name", *extra]}) for pid in ids}
    points = vote_type in ("cumulative", "scoring")
    vote_columns = ["voter_id", "vote", *(["points"] if points else []), "age"]
    votes = {}
    for voter_id in draw(st.lists(IDS, unique=True, max_size=6)):
        chosen = tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids))))
        pts = tuple(Fraction(draw(st.integers(0, 40)), 4) for _ in chosen) if points else None
        votes[voter_id] = Vote(voter_id, chosen, pts, {"age": draw(TEXT)})
    return Instance(meta, projects, votes, ("project_id", "cost", "name", *extra), tuple(vote_columns))


@settings(max_examples=150, deadline=None)
@given(instance=instances())
def test_parse_write_parse_round_trips(instance: Instance) -> None:
    text = pabulib.write(instance)
    assert pabulib.parse(text) == instance
    assert pabulib.parse(pabulib.write(pabulib.parse(text))) == instance


@pytest.mark.parametrize("name", pabulib_files())
def test_shared_files_parse_and_round_trip(name: str) -> None:
    instance = pabulib.parse_file(PABULIB_DIR / name)
    assert instance.projects and instance.votes
    assert pabulib.parse(pabulib.write(instance)) == instance
