"""The counting rules on hand-made elections: outcomes, reasons, tie-breaking, exactness, figures, official results."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from veche.budgeting import pabulib
from veche.budgeting.rules_engine import Election, Reason, RuleSpec, TieBreak, compare, standard_specs, tally
from veche.budgeting.rules_engine.metrics import weighted_gini
from veche.budgeting.rules_engine.official import check_official, official_spec
from veche.budgeting.tests.data import PABULIB_DIR, pabulib_files


def approval(costs: dict[str, int | str], budget: int | str, ballots: list[str], **kwargs: object) -> Election:
    """An approval election; each ballot is a comma-separated list of project ids ('' for an empty ballot)."""
    return Election.build(
        project_ids=list(costs),
        costs=[Fraction(str(c)) for c in costs.values()],
        budget=Fraction(str(budget)),
        kind="approval",
        ballots=[[p for p in b.split(",") if p] for b in ballots],
        **kwargs,
    )


def reasons(result) -> dict[str, Reason]:
    return {p.project_id: p.reason for p in result.projects}


# A:60 has 5 votes, B:50 4, C:30 3, D:10 1, E:5 none; budget 100
GREEDY = approval(
    {"A": 60, "B": 50, "C": 30, "D": 10, "E": 5},
    100,
    ["A,B,C", "A,B,C", "A,B,C", "A,B", "A", "D"],
)


def test_greedy_skips_what_no_longer_fits() -> None:
    result = tally(GREEDY, RuleSpec("greedy"))
    assert result.funded == ("A", "C", "D")
    assert result.spent == 100
    assert reasons(result)["B"] == reasons(result)["E"] == Reason.DID_NOT_FIT
    by_id = {p.project_id: p for p in result.projects}
    assert (by_id["A"].score, by_id["A"].votes, by_id["A"].position) == (5, 5, 1)
    assert by_id["E"].score == 0 and not by_id["E"].funded


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit() -> None:
    result = tally(GREEDY, RuleSpec("greedy-no-skip"))
    assert result.funded == ("A",)
    assert reasons(result) == {
        "A": Reason.FUNDED,
        "B": Reason.DID_NOT_FIT,
        "C": Reason.NOT_REACHED,
        "D": Reason.NOT_REACHED,
        "E": Reason.NOT_REACHED,
    }


def test_greedy_threshold_needs_the_minimum_score() -> None:
    result = tally(GREEDY, RuleSpec("greedy-threshold", threshold=Fraction(2)))
    assert result.funded == ("A", "C")
    assert reasons(result)["D"] == reasons(result)["E"] == Reason.BELOW_THRESHOLD


TIE = approval({"9": 10, "10": 10, "5": 5}, 10, ["9", "10", "5"])


@pytest.mark.parametrize(
    ("tie_break", "funded"),
    [
        ("id", ("10",)),  # text order: "10" < "5" < "9"
        ("cost-votes", ("5",)),
        ("order:9,10", ("9",)),
        ("order:5", ("5",)),
    ],
)
def test_tie_breaking_is_explicit(tie_break: str, funded: tuple[str, ...]) -> None:
    assert tally(TIE, RuleSpec("greedy", tie_break=TieBreak.parse(tie_break))).funded == funded


def test_tie_breaking_by_votes_then_cost() -> None:
    election = approval({"x": 10, "y": 5, "z": 5}, 5, ["x,y", "x", "z"])
    assert TieBreak.parse("votes-cost").rank(election).tolist() == [0, 1, 2]
    assert TieBreak.parse("cost-votes").rank(election).tolist() == [2, 0, 1]


@pytest.mark.parametrize("text", ["", "alphabetical", "order:", "order:a,a"])
def test_unknown_tie_breaking_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="order|tie-breaking"):
        TieBreak.parse(text)


def test_tie_breaking_order_must_name_known_projects() -> None:
    with pytest.raises(ValueError, match="unknown projects: nope"):
        TieBreak.parse("order:nope").rank(TIE)


def test_mes_decides_exactly_where_floats_flip() -> None:
    # each of 3 voters has 0.3/3 = 0.1; in floats 0.3/3 = 0.09999999999999999 and two shares miss the cost 0.2
    election = approval({"0": "0.6", "1": "0.3", "2": "0.2"}, "0.3", ["0", "1,2", "1,2"])
    result = tally(election, RuleSpec("mes", utility="approval"))
    assert result.funded == ("2",)
    assert reasons(result) == {"0": Reason.UNAFFORDABLE, "1": Reason.UNAFFORDABLE, "2": Reason.FUNDED}
    assert result.share_per_voter == Fraction(1, 10)


def test_mes_explains_every_project() -> None:
    election = approval({"big": 90, "small": 10, "free": 0, "lonely": 5}, 100, ["big", "big", "small,free", ""])
    result = tally(election, RuleSpec("mes", utility="approval"))
    assert set(result.funded) == {"free", "small"}
    assert reasons(result) == {
        "big": Reason.UNAFFORDABLE,  # two voters hold 2 × 25 < 90
        "small": Reason.FUNDED,
        "free": Reason.FUNDED_FREE,
        "lonely": Reason.NO_SUPPORT,
    }
    assert result.share_per_voter == 25
    # under cost utilities a project that costs nothing is worth nothing to anyone (as in pabutools)
    assert reasons(tally(election, RuleSpec("mes")))["free"] == Reason.NO_UTILITY


def test_mes_completion_variants() -> None:
    # with 25 each, "big" is out of reach; add1 raises the share until it is affordable, or until it would overspend
    election = approval({"big": 90, "small": 10}, 100, ["big", "big", "small", ""])
    plain = tally(election, RuleSpec("mes"))
    assert plain.funded == ("small",)
    first_exhaustive = tally(election, RuleSpec("mes", completion="add1"))
    assert first_exhaustive.funded_set == {"big", "small"} and first_exhaustive.share_per_voter == 45
    assert first_exhaustive.completion_steps == 20
    last_feasible = tally(election, RuleSpec("mes", completion="add1-last-feasible"))
    assert last_feasible.funded_set == {"big", "small"}
    filled = tally(election, RuleSpec("mes", fill_greedy=True))
    assert filled.funded == ("small", "big")
    assert reasons(filled)["big"] == Reason.FUNDED_BY_FILL


def test_last_feasible_completion_goes_past_an_exhaustive_outcome() -> None:
    # at the starting share 100/3, MES funds a and c (60); b (50) no longer fits: exhaustive, add1 stops there.
    # Raising the shares further makes MES fund a and b (80), still within budget: last-feasible keeps that.
    election = approval({"a": 30, "b": 50, "c": 30}, 100, ["b", "c,a,b", "a,c"])
    assert tally(election, RuleSpec("mes")).funded_set == {"a", "c"}
    first_exhaustive = tally(election, RuleSpec("mes", completion="add1"))
    assert first_exhaustive.funded_set == {"a", "c"} and first_exhaustive.completion_steps == 0
    last_feasible = tally(election, RuleSpec("mes", completion="add1-last-feasible"))
    assert last_feasible.funded_set == {"a", "b"} and last_feasible.share_per_voter == Fraction(127, 3)


def test_comparison_step_switches_to_greedy_when_more_voters_prefer_it() -> None:
    # MES funds two cheap minority projects; most voters only want the expensive one greedy funds
    election = approval({"m": 100, "x": 50, "y": 50}, 100, ["m", "m", "m", "m,x", "x", "y", "y"])
    mes = tally(election, RuleSpec("mes"))
    with_comparison = tally(election, RuleSpec("mes", comparison="satisfaction"))
    greedy_result = tally(election, RuleSpec("greedy"))
    assert mes.funded_set != greedy_result.funded_set
    assert with_comparison.funded_set == greedy_result.funded_set
    assert "replaced MES" in with_comparison.notes[-1]


def test_phragmen_stops_when_the_next_project_does_not_fit() -> None:
    election = approval({"a": 40, "b": 70, "c": 30}, 100, ["a", "a", "b", "b", "b", "c"])
    result = tally(election, RuleSpec("phragmen"))
    assert result.funded == ("a",)  # a at load 20; then b (load 70/3) would overspend: stop; c (load 30) not reached
    assert reasons(result)["c"] == Reason.PHRAGMEN_STOPPED


def test_points_utilities_for_cumulative_and_positional_rankings() -> None:
    ranked = Election.build(
        project_ids=["a", "b", "c"],
        costs=[10, 10, 10],
        budget=10,
        kind="ordinal",
        ballots=[["a", "b", "c"], ["b", "c"], ["c", "a"]],
        max_length=3,
    )
    scores = {p.project_id: p.score for p in tally(ranked, RuleSpec("greedy")).projects}
    assert scores == {"a": 3 + 2, "b": 2 + 3, "c": 1 + 2 + 3}  # first choice 3 points, then 2, then 1
    borda, _ = ranked.raw_points("borda")
    assert borda.tolist() == [2, 1, 0, 1, 0, 1, 0]
    cumulative = Election.build(
        project_ids=["a", "b"],
        costs=[5, 5],
        budget=5,
        kind="cumulative",
        ballots=[["a", "b"], ["b"]],
        points=[[1, 4], [2]],
    )
    result = tally(cumulative, RuleSpec("greedy"))
    assert result.funded == ("b",) and {p.project_id: p.score for p in result.projects} == {"a": 1, "b": 6}


def test_figures_of_an_outcome() -> None:
    election = approval({"a": 30, "b": 70}, 100, ["a", "a,b", "b", ""])
    result = tally(election, RuleSpec("greedy", utility="approval"))
    assert result.funded_set == {"a", "b"}
    metrics = result.metrics
    assert metrics.share_with_funded == 0.75
    assert metrics.average_satisfaction == pytest.approx((1 + 2 + 1 + 0) / 4)
    assert metrics.gini == pytest.approx(weighted_gini(np.array([1, 2, 1, 0]), np.ones(4)))
    cost = tally(election, RuleSpec("greedy", utility="cost")).metrics
    assert cost.average_satisfaction == pytest.approx((30 + 100 + 70 + 0) / 4)


def test_gini() -> None:
    assert weighted_gini(np.array([5.0, 5.0]), np.array([1, 1])) == 0
    assert weighted_gini(np.array([0.0, 1.0]), np.array([1, 1])) == pytest.approx(0.5)
    # weights are multiplicities
    assert weighted_gini(np.array([0.0, 1.0]), np.array([3, 1])) == pytest.approx(
        weighted_gini(np.array([0.0, 0.0, 0.0, 1.0]), np.ones(4))
    )
    assert weighted_gini(np.array([0.0]), np.array([0])) == 0


def test_identical_voters_are_merged_without_changing_results() -> None:
    ballots = ["a,b"] * 50 + ["b"] * 30 + ["c"] * 20
    election = approval({"a": 40, "b": 40, "c": 40}, 100, ballots)
    assert election.profile("cost").n_groups == 3
    # shares of 1: b costs 0.5 to each of its 80 supporters; then a's 50 supporters hold 25 < 40; c's 20 hold 20
    assert tally(election, RuleSpec("mes")).funded_set == {"b"}


def test_rule_specs_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        RuleSpec("borda")
    with pytest.raises(ValueError, match="threshold"):
        RuleSpec("greedy-threshold")
    with pytest.raises(ValueError, match="MES only"):
        RuleSpec("greedy", completion="add1")
    assert RuleSpec("mes", completion="add1", fill_greedy=True).label() == "mes/add1/fill"


def test_compare_reports_every_rule_on_one_utility() -> None:
    results = compare(GREEDY, standard_specs(GREEDY, threshold=Fraction(2)))
    labels = [r.spec.label() for r in results]
    assert labels[:3] == ["greedy", "greedy-no-skip", "greedy-threshold/≥2"]
    assert "phragmen" in labels and "mes/add1" in labels
    assert {r.metrics.utility for r in results} == {"cost"}


def test_official_rule_mapping() -> None:
    assert official_spec({"rule": "greedy"}) == RuleSpec("greedy")
    assert official_spec({"rule": "greedy-threshold", "min_project_score_threshold": "50"}).threshold == 50
    assert official_spec({"rule": "greedy-threshold"}) is None
    assert official_spec({"rule": "equalshares/add1"}).completion == "add1"
    assert official_spec({"rule": "unknown"}) is None


# Which shared files reproduce their official result (docs/domain/pb-rules.md lists them with reasons)
REPRODUCED = {
    "Poland_Gdynia_2022_Kamienna_Gora__small.pb",
    "Poland_Katowice_2023_Welnowiec_-_Jozefowiec.pb",
    "Poland_Krakow_2025_Swoszowice.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Warszawa_2018_Pole_Mokotowskie.pb",
    "Poland_Warszawa_2021_Mokotow.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Wroclaw_2016_Rejon_nr_7_250.pb",
}


@pytest.mark.parametrize("name", pabulib_files())
def test_official_results_of_the_shared_files(name: str) -> None:
    instance = pabulib.parse_file(PABULIB_DIR / name)
    check = check_official(Election.from_pabulib(instance), instance.meta, instance.selected())
    if name in REPRODUCED:
        assert check.reproduces is True, (check.missing, check.extra)
    else:  # no `selected` column, or a rule the file calls unknown: nothing to compare
        assert check.reproduces is None


@pytest.mark.skipif(not PABULIB_DIR.is_dir(), reason="shared Pabulib files absent")
def test_wieliczka_needs_the_last_feasible_completion() -> None:
    instance = pabulib.parse_file(PABULIB_DIR / "Poland_Wieliczka_2023_Green_Budget.pb")
    election = Election.from_pabulib(instance)
    first_exhaustive = tally(election, RuleSpec("mes", completion="add1"))
    last_feasible = tally(election, RuleSpec("mes", completion="add1-last-feasible"))
    assert len(first_exhaustive.funded) == 31 and first_exhaustive.funded_set != instance.selected()
    assert last_feasible.funded_set == instance.selected()
    assert last_feasible.spent == 995079
    integral = tally(election, RuleSpec("mes", completion="add1-last-feasible", add1_start="integral"))
    assert integral.funded_set == instance.selected() and integral.share_per_voter == 315


def test_grouping_by_hash_agrees_with_grouping_by_sorting() -> None:
    from veche.budgeting.rules_engine.election import _group_by_hash, _group_by_sorting

    rng = np.random.default_rng(7)
    row_len = rng.integers(0, 4, 300)
    starts = np.concatenate(([0], np.cumsum(row_len)[:-1]))
    proj = np.concatenate([np.sort(rng.choice(5, k, replace=False)) for k in row_len]).astype(np.int64)
    util = rng.integers(1, 3, len(proj)).astype(np.int64)
    by_hash = _group_by_hash(300, row_len, starts, proj, util)
    assert by_hash is not None
    assert np.array_equal(by_hash, _group_by_sorting(300, row_len, starts, proj, util))
    assert by_hash.max() + 1 < 300  # there were duplicates to merge
