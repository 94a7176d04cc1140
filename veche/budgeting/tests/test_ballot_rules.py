"""ballot_rules: the pure definition of a valid ballot, checked against an independent statement of the rules."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.budgeting.ballot_rules import (
    APPROVAL,
    CUMULATIVE,
    KINDS,
    KNAPSACK,
    RANKING,
    RECEIPT_ALPHABET,
    BallotSpec,
    Problem,
    check_ballot,
    group_code,
    normalise_code,
)

costs_strategy = st.dictionaries(st.integers(1, 40), st.integers(0, 50_000).map(Decimal), min_size=1, max_size=12)
limits = st.one_of(st.none(), st.integers(1, 8))


@st.composite
def cases(draw):
    kind = draw(st.sampled_from(sorted(KINDS)))
    costs = draw(costs_strategy)
    spec = BallotSpec(
        kind=kind,
        budget=Decimal(draw(st.integers(0, 150_000))),
        costs=costs,
        max_choices=draw(limits),
        points_per_voter=draw(st.one_of(st.none(), st.integers(1, 30))),
        max_points_per_project=draw(limits),
    )
    ids = st.one_of(st.sampled_from(sorted(costs)), st.integers(1, 60))
    projects = draw(st.lists(ids, max_size=10))
    points = None
    if kind == CUMULATIVE or draw(st.booleans()) and draw(st.booleans()):
        points = draw(
            st.one_of(st.none(), st.lists(st.integers(-2, 12), min_size=len(projects), max_size=len(projects)))
        )
    return spec, projects, points


def valid_by_definition(spec, projects, points) -> bool:
    """The rules stated directly, as the issue states them."""
    if not projects or len(set(projects)) != len(projects) or any(p not in spec.costs for p in projects):
        return False
    if spec.kind in (APPROVAL, RANKING) and spec.max_choices is not None and len(projects) > spec.max_choices:
        return False
    if spec.kind == KNAPSACK and sum(spec.costs[p] for p in projects) > spec.budget:
        return False
    if spec.kind != CUMULATIVE:
        return points is None
    if points is None or len(points) != len(projects) or any(value < 1 for value in points):
        return False
    if spec.points_per_voter is not None and sum(points) > spec.points_per_voter:
        return False
    return spec.max_points_per_project is None or max(points) <= spec.max_points_per_project


@settings(max_examples=400)
@given(cases())
def test_a_ballot_is_valid_exactly_when_the_rules_say_so(case):
    spec, projects, points = case
    problems = check_ballot(spec, projects, points)
    assert (problems == []) == valid_by_definition(spec, projects, points)
    assert len({problem.code for problem in problems}) == len(problems)  # each problem reported once


@settings(max_examples=200)
@given(cases())
def test_every_problem_carries_what_its_message_needs(case):
    spec, projects, points = case
    for problem in check_ballot(spec, projects, points):
        if problem.code == "over_budget":
            assert problem.params["excess"] == problem.params["total"] - spec.budget > 0
        elif problem.code == "too_many":
            assert problem.params["count"] > problem.params["limit"] == spec.max_choices
        elif problem.code == "duplicate":
            repeated = {p for p, n in Counter(projects).items() if n > 1}
            assert set(problem.params["projects"]) == repeated
        elif problem.code == "unknown_project":
            assert set(problem.params["projects"]) == {p for p in projects if p not in spec.costs}
        elif problem.code == "points_over_total":
            assert problem.params["total"] == sum(points) > problem.params["limit"]


@given(st.data())
def test_a_knapsack_selection_that_fits_is_valid(data):
    costs = data.draw(costs_strategy)
    chosen = data.draw(st.lists(st.sampled_from(sorted(costs)), min_size=1, unique=True))
    spec = BallotSpec(kind=KNAPSACK, budget=sum(costs[p] for p in chosen), costs=costs)
    assert check_ballot(spec, chosen) == []
    cheapest_left = [p for p in costs if p not in chosen and costs[p] > 0]
    if cheapest_left:
        assert [pr.code for pr in check_ballot(spec, [*chosen, cheapest_left[0]])] == ["over_budget"]


def test_examples():
    spec = BallotSpec(kind=KNAPSACK, budget=Decimal(100_000), costs={1: Decimal(60_000), 2: Decimal(60_000)})
    assert check_ballot(spec, [1, 2]) == [
        Problem("over_budget", {"total": Decimal(120_000), "budget": Decimal(100_000), "excess": Decimal(20_000)})
    ]
    assert check_ballot(spec, []) == [Problem("empty")]
    assert check_ballot(spec, [1, 1, 9]) == [
        Problem("duplicate", {"projects": [1]}),
        Problem("unknown_project", {"projects": [9]}),
    ]
    assert check_ballot(spec, [1], [1]) == [Problem("points_not_allowed")]
    cumulative = BallotSpec(kind=CUMULATIVE, budget=0, costs={1: 0, 2: 0}, points_per_voter=5, max_points_per_project=3)
    assert check_ballot(cumulative, [1, 2], [3, 2]) == []
    assert check_ballot(cumulative, [1, 2], [4, 2]) == [
        Problem("points_over_total", {"total": 6, "limit": 5}),
        Problem("points_over_per_project", {"projects": [1], "limit": 3}),
    ]
    assert check_ballot(cumulative, [1, 2], [3]) == [Problem("points_mismatch", {"projects": 2, "points": 1})]
    assert check_ballot(cumulative, [1], [True]) == [Problem("points_not_positive", {"projects": [1]})]
    with pytest.raises(ValueError, match="Unknown ballot type"):
        BallotSpec(kind="plurality", budget=0, costs={})


@given(st.text(alphabet=RECEIPT_ALPHABET, min_size=10, max_size=10))
def test_codes_survive_being_typed_sloppily(code):
    typed = group_code(code).lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalise_code(typed) == code
    assert group_code(code) == f"{code[:5]}-{code[5:]}"
