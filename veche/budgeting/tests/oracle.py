"""pabutools as a test oracle: the same election and rule computed by the reference implementation.

Only tests import this module; runtime code never imports pabutools.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from veche.budgeting.rules_engine import Election, RuleSpec

pabutools = pytest.importorskip("pabutools")

from pabutools.election import (  # noqa: E402
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    CardinalBallot,
    Cardinality_Sat,
    CardinalProfile,
    CC_Sat,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
    OrdinalBallot,
    OrdinalProfile,
    PositionalSatisfaction,
    Project,
)
from pabutools.fractions import frac  # noqa: E402
from pabutools.rules import (  # noqa: E402
    completion_by_rule_combination,
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    popularity_comparison,
    sequential_phragmen,
)
from pabutools.tiebreaking import TieBreakingRule, lexico_tie_breaking  # noqa: E402


def _q(value: Fraction) -> object:
    return frac(value.numerator, value.denominator)


def to_pabutools(election: Election) -> tuple[Instance, object]:
    """Build pabutools' Instance and Profile for our Election directly (no file round trip)."""
    projects = [Project(pid, _q(cost)) for pid, cost in zip(election.project_ids, election.costs, strict=True)]
    instance = Instance(projects, budget_limit=_q(election.budget))
    ballots = []
    for v in range(election.n_voters):
        lo, hi = int(election.ptr[v]), int(election.ptr[v + 1])
        listed = [projects[j] for j in election.items[lo:hi]]
        if election.kind == "approval":
            ballots.append(ApprovalBallot(listed))
        elif election.kind == "ordinal":
            ballots.append(OrdinalBallot(listed))
        else:
            points = [Fraction(int(p), election.points_scale) for p in election.points[lo:hi]]
            ballot_class = CumulativeBallot if election.kind == "cumulative" else CardinalBallot
            ballots.append(ballot_class({p: _q(x) for p, x in zip(listed, points, strict=True)}))
    profile_class = {
        "approval": ApprovalProfile,
        "ordinal": OrdinalProfile,
        "cumulative": CumulativeProfile,
        "scoring": CardinalProfile,
    }[election.kind]
    return instance, profile_class(ballots, instance=instance)


def tie_breaking(election: Election, spec: RuleSpec, profile: object) -> TieBreakingRule:
    """pabutools TieBreakingRule for our named tie-breakings, computed independently of TieBreak.rank."""
    kind = spec.tie_break.kind
    if kind == "id":
        return lexico_tie_breaking
    votes = {pid: sum(1 for b in profile if pid in [p.name for p in b]) for pid in election.project_ids}
    if kind == "cost-votes":
        return TieBreakingRule(lambda inst, prof, p: (p.cost, -votes[p.name], p.name))
    if kind == "votes-cost":
        return TieBreakingRule(lambda inst, prof, p: (-votes[p.name], p.cost, p.name))
    order = {pid: i for i, pid in enumerate(spec.tie_break.order)}
    return TieBreakingRule(lambda inst, prof, p: (order.get(p.name, len(order)), p.name))


def _positional_class(election: Election) -> type:
    length = election.ordinal_length()

    class Positional(PositionalSatisfaction):
        def __init__(self, instance: object, profile: object, ballot: object) -> None:
            super().__init__(instance, profile, ballot, lambda b, p: length - b.position(p) if p in b else 0, sum)

    return Positional


class _CostWeightedPoints(AdditiveSatisfaction):
    """points × cost: pabutools' greedy ranks by satisfaction per unit of cost, so this ranks by total points."""

    def __init__(self, instance: object, profile: object, ballot: object) -> None:
        super().__init__(instance, profile, ballot, lambda inst, prof, b, p, pre: b.get(p, 0) * p.cost)


def _positional_cost_class(election: Election) -> type:
    length = election.ordinal_length()

    class PositionalCost(AdditiveSatisfaction):
        def __init__(self, instance: object, profile: object, ballot: object) -> None:
            super().__init__(
                instance,
                profile,
                ballot,
                lambda inst, prof, b, p, pre: (length - b.position(p)) * p.cost if p in b else 0,
            )

    return PositionalCost


def sat_class(election: Election, spec: RuleSpec) -> type:
    """The pabutools satisfaction measure matching our utility (what MES and Phragmén optimise)."""
    utility = spec.resolved_utility(election)
    if utility == "cost":
        return Cost_Sat
    if utility == "approval":
        return Cardinality_Sat
    if election.kind == "ordinal":
        return Additive_Borda_Sat if spec.ordinal_points == "borda" else _positional_class(election)
    return Additive_Cardinal_Sat


def greedy_sat_class(election: Election, spec: RuleSpec) -> type:
    """What our greedy ranks by, as a pabutools measure: score × cost (score = supporters or points)."""
    if spec.resolved_utility(election) != "points":
        return Cost_Sat
    if election.kind == "ordinal":
        if spec.ordinal_points == "borda":
            raise NotImplementedError("borda scores are only used by MES in these tests")
        return _positional_cost_class(election)
    return _CostWeightedPoints


def oracle(election: Election, spec: RuleSpec) -> frozenset[str]:
    """The funded project ids pabutools computes for `spec` (the rules both implement)."""
    instance, profile = to_pabutools(election)
    tb = tie_breaking(election, spec, profile)
    if spec.rule in ("greedy", "greedy-threshold"):
        if spec.rule == "greedy-threshold":
            scores = _scores(election, spec)
            kept = [p for p in instance if scores[p.name] >= spec.threshold]
            instance = Instance(kept, budget_limit=instance.budget_limit)
        outcome = greedy_utilitarian_welfare(
            instance, profile, sat_class=greedy_sat_class(election, spec), tie_breaking=tb
        )
    elif spec.rule == "phragmen":
        outcome = sequential_phragmen(instance, profile, tie_breaking=tb)
    elif spec.rule == "mes":
        outcome = _mes(election, spec, instance, profile, tb)
    else:
        raise NotImplementedError(spec.rule)
    return frozenset(p.name for p in outcome)


def _scores(election: Election, spec: RuleSpec) -> dict[str, Fraction]:
    profile = election.profile(spec.resolved_utility(election), spec.ordinal_points)
    return {pid: Fraction(int(profile.score[j]), profile.score_scale) for j, pid in enumerate(election.project_ids)}


def _mes(election: Election, spec: RuleSpec, instance: object, profile: object, tb: TieBreakingRule) -> object:
    sat = sat_class(election, spec)
    if spec.add1_start != "exact":
        raise NotImplementedError("pabutools starts from the exact share")
    mes_params: dict = {"sat_class": sat, "tie_breaking": tb}
    if spec.completion == "add1":
        mes_params["voter_budget_increment"] = 1

    def run_mes(inst: object, prof: object, **kwargs: object) -> object:
        if spec.completion == "add1-last-feasible":
            return exhaustion_by_budget_increase(
                inst,
                prof,
                method_of_equal_shares,
                rule_params={**mes_params},
                initial_budget_allocation=kwargs.get("initial_budget_allocation"),
                exhaustive_stop=False,
                budget_step=profile.num_ballots(),
            )
        return method_of_equal_shares(inst, prof, **mes_params, **kwargs)

    if spec.fill_greedy:
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [run_mes, greedy_utilitarian_welfare],
            [{}, {"sat_class": greedy_sat_class(election, spec), "tie_breaking": tb}],
        )
    else:
        outcome = run_mes(instance, profile)
    if spec.comparison != "none":
        measure = Cardinality_Sat if spec.comparison == "satisfaction" else CC_Sat
        plain = greedy_utilitarian_welfare(
            instance, profile, sat_class=greedy_sat_class(election, spec), tie_breaking=tb
        )
        winners = popularity_comparison(
            instance,
            profile,
            measure,
            [lambda *a, **k: outcome, lambda *a, **k: plain],
        )
        if len(winners) == 1 and sorted(winners[0]) == sorted(plain) and sorted(plain) != sorted(outcome):
            outcome = plain
    return outcome
