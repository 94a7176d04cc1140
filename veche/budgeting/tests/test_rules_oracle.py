"""Our counting is identical to pabutools' for every rule both implement: generated elections and real Pabulib files.

pabutools itself needs minutes for MES with add-one completion on the larger files (one MES run on Warszawa Mokotów
takes 5-17 s in pabutools, depending on the machine, and the completion needs 228 runs), so the default run compares
completions on the small and medium files only, and on Warszawa Mokotów only greedy; set VECHE_PB_ORACLE_FULL=1 to
compare every file with every rule (takes about an hour and several GB of memory in pabutools).
"""

from __future__ import annotations

import os
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from veche.budgeting import pabulib
from veche.budgeting.rules_engine import Election, RuleSpec, TieBreak, tally
from veche.budgeting.tests.data import PABULIB_DIR, pabulib_files
from veche.budgeting.tests.strategies import elections

oracle = pytest.importorskip("veche.budgeting.tests.oracle")

FULL = os.environ.get("VECHE_PB_ORACLE_FULL", "") not in ("", "0")
TIE_BREAKS = st.sampled_from(["id", "cost-votes", "votes-cost", "order:10,a,2,9"]).map(TieBreak.parse)
SETTINGS = settings(
    max_examples=int(os.environ.get("VECHE_PB_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _valid_tie_break(election: Election, tie_break: TieBreak) -> TieBreak:
    if tie_break.kind == "order":
        kept = tuple(pid for pid in tie_break.order if pid in election.project_ids)
        return TieBreak("order", kept) if kept else TieBreak()
    return tie_break


def _check(election: Election, spec: RuleSpec) -> None:
    ours = tally(election, spec).funded_set
    assert ours == oracle.oracle(election, spec), spec


@SETTINGS
@given(election=elections(), tb=TIE_BREAKS)
def test_greedy_matches_pabutools(election: Election, tb: TieBreak) -> None:
    _check(election, RuleSpec("greedy", tie_break=_valid_tie_break(election, tb)))


@SETTINGS
@given(
    election=elections(),
    threshold=st.integers(0, 6),
)
def test_greedy_threshold_matches_pabutools_on_the_projects_above_it(election: Election, threshold: int) -> None:
    _check(election, RuleSpec("greedy-threshold", threshold=Fraction(threshold)))


@SETTINGS
@given(
    election=elections(),
    utility=st.sampled_from(["cost", "approval", "points"]),
    completion=st.sampled_from(["none", "add1"]),
    fill=st.booleans(),
    tb=TIE_BREAKS,
    borda=st.booleans(),
)
def test_mes_matches_pabutools(
    election: Election, utility: str, completion: str, fill: bool, tb: TieBreak, borda: bool
) -> None:
    assume(utility != "points" or election.kind != "approval")
    spec = RuleSpec(
        "mes",
        utility=utility,
        completion=completion,
        fill_greedy=fill and not (borda and utility == "points" and election.kind == "ordinal"),
        tie_break=_valid_tie_break(election, tb),
        ordinal_points="borda" if borda else "positional",
    )
    _check(election, spec)


@SETTINGS
@given(
    election=elections(),
    utility=st.sampled_from(["cost", "approval"]),
    tb=TIE_BREAKS,
)
def test_mes_last_feasible_completion_matches_pabutools_exhaustion_without_exhaustive_stop(
    election: Election, utility: str, tb: TieBreak
) -> None:
    profile = election.profile(utility)
    playable = [j for j in range(election.n_projects) if profile.total_utility[j] > 0 and election.costs[j] > 0]
    # pabutools only stops when an outcome overspends; make sure one eventually does
    assume(sum(election.costs[j] for j in playable) > election.budget)
    _check(
        election,
        RuleSpec("mes", utility=utility, completion="add1-last-feasible", tie_break=_valid_tie_break(election, tb)),
    )


@SETTINGS
@given(
    election=elections(kinds=("approval",)),
    comparison=st.sampled_from(["satisfaction", "exclusion"]),
)
def test_comparison_step_matches_pabutools_popularity_comparison(election: Election, comparison: str) -> None:
    _check(election, RuleSpec("mes", completion="add1", comparison=comparison))


@SETTINGS
@given(
    election=elections(kinds=("approval",)),
    tb=TIE_BREAKS,
)
def test_phragmen_matches_pabutools(election: Election, tb: TieBreak) -> None:
    _check(election, RuleSpec("phragmen", tie_break=_valid_tie_break(election, tb)))


# --- the shared Pabulib files -------------------------------------------------------------------------------------

# pabutools' own seconds on a 2-core machine: MES without completion on the biggest files, add1 on the mid-sized ones
SLOW_FOR_PABUTOOLS_MES = {"Poland_Warszawa_2021_Mokotow.pb"}
SLOW_FOR_PABUTOOLS_ADD1 = SLOW_FOR_PABUTOOLS_MES | {
    "Poland_Gdansk_2020.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Wroclaw_2016_Rejon_nr_7_250.pb",
    "France_Toulouse_2019.pb",
    "Poland_Krakow_2025_Swoszowice.pb",
    "Poland_Katowice_2023_Welnowiec_-_Jozefowiec.pb",
}


@cache
def _pabutools_file(name: str) -> tuple[object, object]:
    from pabutools.election import parse_pabulib

    return parse_pabulib(str(PABULIB_DIR / name))


@cache
def _our_file(name: str) -> Election:
    return Election.from_pabulib(pabulib.parse_file(PABULIB_DIR / name))


def _file_specs(name: str) -> list[RuleSpec]:
    election = _our_file(name)
    small = election.n_voters <= 100
    specs = [RuleSpec("greedy"), RuleSpec("greedy", tie_break=TieBreak("cost-votes"))]
    if FULL or name not in SLOW_FOR_PABUTOOLS_MES:
        specs += [RuleSpec("mes"), RuleSpec("mes", utility="approval")]
    if FULL or name not in SLOW_FOR_PABUTOOLS_ADD1:
        specs.append(RuleSpec("mes", completion="add1"))
    if FULL or small:
        specs.append(RuleSpec("mes", completion="add1", fill_greedy=True))
    if election.kind == "approval" and (FULL or name not in SLOW_FOR_PABUTOOLS_MES):
        specs.append(RuleSpec("phragmen"))
    return specs


@pytest.mark.parametrize("name", pabulib_files())
def test_shared_files_match_pabutools(name: str) -> None:
    election = _our_file(name)
    instance, profile = _pabutools_file(name)
    # the files parse to the same election in both
    assert {p.name: Fraction(int(p.cost.numerator), int(p.cost.denominator)) for p in instance} == dict(
        zip(election.project_ids, election.costs, strict=True)
    )
    assert Fraction(int(instance.budget_limit.numerator), int(instance.budget_limit.denominator)) == election.budget
    assert profile.num_ballots() == election.n_voters
    for spec in _file_specs(name):
        ours = tally(election, spec).funded_set
        theirs = frozenset(p.name for p in _theirs(election, spec, instance, profile))
        assert ours == theirs, (name, spec.label())


def _theirs(election: Election, spec: RuleSpec, instance: object, profile: object) -> object:
    tb = oracle.tie_breaking(election, spec, profile)
    if spec.rule == "greedy":
        return oracle.greedy_utilitarian_welfare(
            instance, profile, sat_class=oracle.greedy_sat_class(election, spec), tie_breaking=tb
        )
    if spec.rule == "phragmen":
        return oracle.sequential_phragmen(instance, profile, tie_breaking=tb)
    return oracle._mes(election, spec, instance, profile, tb)
