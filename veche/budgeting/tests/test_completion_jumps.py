"""The add-one completion's jumps change nothing: same outcome, share and step count as running every step.

`_mes_with_completion` skips steps only when `same_outcome_between` proves them unchanged; these tests compare it
with the plain step-by-step loop (pabutools' semantics) on generated elections and on the shared files where the
completion jumps most (Gdańsk 2020: 629 steps, Świecie 2023).
"""

from __future__ import annotations

import importlib
import os
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veche.budgeting import pabulib
from veche.budgeting.rules_engine import Election, RuleSpec, TieBreak, tally
from veche.budgeting.rules_engine.election import Profile
from veche.budgeting.rules_engine.mes import MesRun, MesSolver, same_outcome_between
from veche.budgeting.tests.data import PABULIB_DIR
from veche.budgeting.tests.strategies import elections

tally_module = importlib.import_module("veche.budgeting.rules_engine.tally")


def step_by_step(profile: Profile, tie_rank: np.ndarray, spec: RuleSpec) -> tuple[MesRun, int]:
    """The completion as specified: one MES run per currency unit, no jumps."""
    election = profile.election
    solver = MesSolver(profile, tie_rank)
    budget, unit, n = election.int_budget, election.money_scale, election.n_voters
    share = Fraction(budget, n) if spec.add1_start == "exact" else Fraction((budget // (n * unit)) * unit)
    costs, playable = solver.costs, solver.playable
    if spec.completion == "add1":
        previous = MesRun(share=share, funded=list(solver.free), free=list(solver.free))
        for step in range(10**6):
            outcome = solver.run(share)
            spent = outcome.cost(costs)
            if spent > budget:
                return previous, step
            if all(j in outcome.funded or spent + costs[j] > budget for j in playable):
                return outcome, step
            previous, share = outcome, share + unit
    outcome = solver.run(share)
    for step in range(10**6):
        if set(playable) <= set(outcome.funded):
            return outcome, step
        following = solver.run(share + unit)
        if following.cost(costs) > budget:
            return outcome, step
        outcome, share = following, share + unit
    raise AssertionError("did not settle")


def assert_same_as_step_by_step(election: Election, spec: RuleSpec) -> int:
    """Compare; return how many steps the jumps skipped."""
    profile = election.profile(spec.resolved_utility(election))
    tie_rank = spec.tie_break.rank(election)
    runs: list[Fraction] = []
    solver_run = MesSolver.run

    def counting_run(self: MesSolver, share: Fraction) -> MesRun:
        runs.append(share)
        return solver_run(self, share)

    MesSolver.run = counting_run  # type: ignore[method-assign]
    try:
        ours, steps = tally_module._mes_with_completion(profile, tie_rank, spec)
    finally:
        MesSolver.run = solver_run  # type: ignore[method-assign]
    expected, expected_steps = step_by_step(profile, tie_rank, spec)
    assert (ours.funded, ours.share, steps) == (expected.funded, expected.share, expected_steps)
    return steps + 1 - len(runs)


@settings(
    max_examples=int(os.environ.get("VECHE_PB_EXAMPLES", "60")) * 4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    election=elections(),
    utility=st.sampled_from(["cost", "approval", "points"]),
    completion=st.sampled_from(["add1", "add1-last-feasible"]),
    start=st.sampled_from(["exact", "integral"]),
    tie_break=st.sampled_from(["id", "cost-votes", "votes-cost"]),
)
def test_jumps_give_the_step_by_step_outcome(
    election: Election, utility: str, completion: str, start: str, tie_break: str
) -> None:
    if election.n_voters == 0 or (utility == "points" and election.kind == "approval"):
        return
    spec = RuleSpec(
        "mes", utility=utility, completion=completion, add1_start=start, tie_break=TieBreak.parse(tie_break)
    )
    if completion == "add1-last-feasible":
        solver = MesSolver(election.profile(spec.resolved_utility(election)), spec.tie_break.rank(election))
        if sum(solver.costs[j] for j in solver.playable) <= election.int_budget:
            return  # the step-by-step loop would not stop either
    assert_same_as_step_by_step(election, spec)


@pytest.mark.parametrize("name", ["Poland_Gdansk_2020", "Poland_Swiecie_2023"])
@pytest.mark.parametrize("completion", ["add1", "add1-last-feasible"])
def test_jumps_on_real_files(name: str, completion: str) -> None:
    path = PABULIB_DIR / f"{name}.pb"
    if not path.exists():
        pytest.skip(f"{path} not present")
    election = Election.from_pabulib(pabulib.parse_file(path))
    skipped = assert_same_as_step_by_step(election, RuleSpec("mes", completion=completion))
    assert skipped > 50  # the jumps really are taken here


def test_a_change_between_two_shares_is_never_certified() -> None:
    # at 1 per voter nothing is affordable, at 3 per voter something is: no proof may cover both
    election = Election.build(
        project_ids=["a", "b"],
        costs=[Fraction(3), Fraction(6)],
        budget=Fraction(4),
        kind="approval",
        ballots=[["a", "b"], ["a", "b"], ["b"], ["b"]],
    )
    solver = MesSolver(election.profile("cost"), TieBreak().rank(election))
    low, high = solver.run(Fraction(1)), solver.run(Fraction(3))
    assert low.funded != high.funded
    assert not same_outcome_between(low, high)
    assert same_outcome_between(low, solver.run(Fraction(1)))


def test_a_contender_cheaper_than_the_winner_somewhere_in_between_blocks_the_proof() -> None:
    # both runs fund project 0 then project 1; at the high share project 2 may cost as little as `bound` in round 1,
    # where project 0 cost 1/2 at the low share: only a bound clearly above 1/2 proves project 0 wins in between
    def runs(bound: float) -> tuple[MesRun, MesRun]:
        prices = {0: Fraction(1, 2), 1: Fraction(3, 4)}
        low = MesRun(share=Fraction(10), funded=[0, 1], prices=prices)
        low.bounds = [np.array([0.5, 0.8, 0.9]), np.array([np.inf, 0.75, 0.9])]
        high = MesRun(share=Fraction(12), funded=[0, 1], prices=prices)
        high.bounds = [np.array([0.45, 0.7, bound]), np.array([np.inf, 0.7, 0.9])]
        return low, high

    assert same_outcome_between(*runs(0.6))
    assert not same_outcome_between(*runs(0.4))
    assert not same_outcome_between(*runs(0.5))  # a tie is never a proof
    assert not same_outcome_between(*runs(0.5 * (1 + 1e-12)))  # nor a near-tie


def test_an_exact_tie_is_settled_by_the_tie_breaking_order() -> None:
    # round 0: project 2 ties project 0 exactly at the high share (both 1/2); project 0 wins the tie only if it comes
    # first in the tie-breaking order, and only the exact prices recorded for the tie can tell
    def runs() -> tuple[MesRun, MesRun]:
        prices = {0: Fraction(1, 2), 1: Fraction(3, 4)}
        low = MesRun(share=Fraction(10), funded=[0, 1], prices=prices)
        low.bounds = [np.array([0.5, 0.8, 0.5]), np.array([np.inf, 0.75, 0.9])]
        low.near = [{0: Fraction(1, 2), 2: Fraction(1, 2)}, {1: Fraction(3, 4)}]
        high = MesRun(share=Fraction(12), funded=[0, 1], prices=prices)
        high.bounds = [np.array([0.5, 0.8, 0.5]), np.array([np.inf, 0.75, 0.9])]
        high.near = [{0: Fraction(1, 2), 2: Fraction(1, 2)}, {1: Fraction(3, 4)}]
        return low, high

    assert same_outcome_between(*runs(), np.array([0, 1, 2]))
    assert not same_outcome_between(*runs(), np.array([2, 1, 0]))  # the contender comes first: no proof
    assert not same_outcome_between(*runs())  # without the order, a tie is never a proof


def test_elections_full_of_exact_ties_skip_most_completion_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    # with cost utilities every fully paid price is 1 / supporters, so small elections tie all the time; the
    # completion must still jump over the thousands of steps that change nothing (it used to run every one)
    rng = random.Random(1)
    ids = [str(i) for i in range(1, 14)]
    costs = [rng.choice([rng.randint(1, 100) * 1000, rng.randint(1, 100_000)]) for _ in ids]
    ballots = [rng.sample(ids, rng.randint(1, len(ids))) for _ in range(rng.randint(1, 20))]
    election = Election.build(project_ids=ids, costs=costs, budget=100_000, kind="approval", ballots=ballots)
    runs = 0
    original = MesSolver.run

    def counting(self: MesSolver, share: Fraction) -> MesRun:
        nonlocal runs
        runs += 1
        return original(self, share)

    monkeypatch.setattr(MesSolver, "run", counting)
    result = tally(election, RuleSpec("mes", completion="add1-last-feasible"))
    assert result.completion_steps > 1000
    assert runs < result.completion_steps / 5
