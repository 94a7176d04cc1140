"""Hypothesis strategies: small elections full of ties (small integer costs and points, numeric-looking ids)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from veche.budgeting.rules_engine import Election

# ids that look numeric on purpose: string order ("10" < "9") must be used, as pabutools does
PROJECT_IDS = ["1", "2", "9", "10", "11", "a", "B", "p-3"]


@st.composite
def elections(draw: st.DrawFn, kinds: tuple[str, ...] = ("approval", "cumulative", "ordinal", "scoring")) -> Election:
    kind = draw(st.sampled_from(kinds))
    ids = draw(st.lists(st.sampled_from(PROJECT_IDS), min_size=1, max_size=6, unique=True))
    costs = draw(st.lists(st.integers(0, 12), min_size=len(ids), max_size=len(ids)))
    if draw(st.booleans()):
        costs = [c * 10 + draw(st.sampled_from([0, 5])) for c in costs]
    costs = [Fraction(c) for c in costs]
    budget = Fraction(draw(st.integers(0, max(1, int(sum(costs))))))
    if draw(st.integers(0, 4)) == 0:
        budget += Fraction(1, 2)
    n_voters = draw(st.integers(0, 9))
    ballots, points = [], []
    for _ in range(n_voters):
        listed = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        if kind == "ordinal" and not listed:
            listed = [ids[0]]
        ballots.append(listed)
        points.append([draw(st.integers(0 if kind == "scoring" else 1, 4)) for _ in listed])
    return Election.build(
        project_ids=ids,
        costs=costs,
        budget=budget,
        kind=kind,
        ballots=ballots,
        points=points if kind in ("cumulative", "scoring") else None,
    )
