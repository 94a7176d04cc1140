"""Count an election with a named rule and explain the outcome; compare rules; check a city's official result.

`RuleSpec` names everything that decides an outcome (rule, utility, completion, greedy fill, comparison step,
threshold, tie-breaking), so a result can always be reproduced from its spec. `tally()` returns a `TallyResult` with
the funded projects, each project's score and why it was or was not funded, and the figures of metrics.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from veche.budgeting.rules_engine.election import Election, Profile
from veche.budgeting.rules_engine.greedy import greedy
from veche.budgeting.rules_engine.mes import MesRun, MesSolver, same_outcome_between
from veche.budgeting.rules_engine.metrics import Metrics, outcome_metrics
from veche.budgeting.rules_engine.phragmen import phragmen
from veche.budgeting.rules_engine.reasons import Reason
from veche.budgeting.rules_engine.tiebreak import TieBreak

RULES = ("greedy", "greedy-no-skip", "greedy-threshold", "mes", "phragmen")
COMPLETIONS = ("none", "add1", "add1-last-feasible")
COMPARISONS = ("none", "satisfaction", "exclusion")
ADD1_STARTS = ("exact", "integral")
MAX_COMPLETION_STEPS = 1_000_000


class CompletionError(RuntimeError):
    """The add-one completion did not settle within MAX_COMPLETION_STEPS budget increases."""


@dataclass(frozen=True)
class RuleSpec:
    """Everything that decides an outcome.

    `utility` None means the natural one for the ballots (cost for approval ballots, points otherwise).
    `completion` and `add1_start` apply to MES only: 'add1' raises each voter's share by one currency unit until the
    outcome is exhaustive or the next step would overspend (pabutools' voter_budget_increment=1); 'add1-last-feasible'
    goes on until the next step would overspend and keeps the last outcome within budget (Wieliczka). `add1_start`
    'integral' starts from the share rounded down to a whole currency unit (equalshares.net's default).
    `fill_greedy` then funds the best-scored projects that still fit. `comparison` (equalshares.net's comparison step)
    replaces the outcome by plain greedy's if more voters prefer greedy's: by the number of their projects funded
    ('satisfaction') or by having at least one funded ('exclusion').
    `threshold` is the minimum score (votes or points) for greedy-threshold.
    """

    rule: str = "greedy"
    utility: str | None = None
    completion: str = "none"
    fill_greedy: bool = False
    comparison: str = "none"
    threshold: Fraction | None = None
    tie_break: TieBreak = field(default_factory=TieBreak)
    ordinal_points: str = "positional"
    add1_start: str = "exact"

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}: use one of {', '.join(RULES)}")
        if self.completion not in COMPLETIONS:
            raise ValueError(f"unknown completion {self.completion!r}: use one of {', '.join(COMPLETIONS)}")
        if self.comparison not in COMPARISONS:
            raise ValueError(f"unknown comparison {self.comparison!r}: use one of {', '.join(COMPARISONS)}")
        if self.add1_start not in ADD1_STARTS:
            raise ValueError(f"unknown add1 start {self.add1_start!r}")
        if self.rule == "greedy-threshold" and self.threshold is None:
            raise ValueError("greedy-threshold needs a threshold")
        if self.rule != "mes" and (self.completion != "none" or self.fill_greedy or self.comparison != "none"):
            raise ValueError("completion, greedy fill and the comparison step apply to MES only")

    def resolved_utility(self, election: Election) -> str:
        if self.utility is not None:
            return self.utility
        return "cost" if election.kind == "approval" else "points"

    def label(self) -> str:
        parts = [self.rule]
        if self.rule == "mes":
            if self.utility:
                parts.append(self.utility)
            if self.completion != "none":
                parts.append(self.completion + ("-integral" if self.add1_start == "integral" else ""))
            if self.fill_greedy:
                parts.append("fill")
            if self.comparison != "none":
                parts.append(f"comparison-{self.comparison}")
        elif self.utility:
            parts.append(self.utility)
        if self.threshold is not None and self.rule == "greedy-threshold":
            parts.append(f"≥{_plain(self.threshold)}")
        return "/".join(parts)


@dataclass(frozen=True)
class ProjectOutcome:
    project_id: str
    cost: Fraction
    score: Fraction
    votes: int
    funded: bool
    reason: Reason
    position: int | None  # 1-based order of funding


@dataclass(frozen=True)
class TallyResult:
    spec: RuleSpec
    utility: str
    funded: tuple[str, ...]
    projects: tuple[ProjectOutcome, ...]
    budget: Fraction
    spent: Fraction
    metrics: Metrics
    share_per_voter: Fraction | None = None  # MES: the final share of the budget per voter
    completion_steps: int = 0
    notes: tuple[str, ...] = ()

    @property
    def funded_set(self) -> frozenset[str]:
        return frozenset(self.funded)


def tally(election: Election, spec: RuleSpec) -> TallyResult:
    """Count `election` under `spec`."""
    utility = spec.resolved_utility(election)
    profile = election.profile(utility, spec.ordinal_points)
    tie_rank = spec.tie_break.rank(election)
    threshold = _int_threshold(spec, profile)
    notes: list[str] = []
    share: Fraction | None = None
    steps = 0
    if spec.rule in ("greedy", "greedy-no-skip", "greedy-threshold"):
        run = greedy(profile, tie_rank, no_skip=spec.rule == "greedy-no-skip", threshold=threshold)
        funded, reasons = run.funded, run.reasons
    elif spec.rule == "phragmen":
        approval = profile if utility == "approval" else election.profile("approval")
        prun = phragmen(approval, tie_rank)
        funded = prun.funded
        reasons = dict.fromkeys(funded, Reason.FUNDED)
        for j in range(election.n_projects):
            if j not in reasons:
                reasons[j] = Reason.OVER_BUDGET if j in prun.over_budget else Reason.PHRAGMEN_STOPPED
        if prun.stopped_at:
            notes.append(f"stopped: {election.project_ids[prun.stopped_at[0]]} would exceed the budget")
    else:
        mes_run, steps = _mes_with_completion(profile, tie_rank, spec)
        share = mes_run.share / election.money_scale
        funded = list(mes_run.funded)
        reasons = dict.fromkeys(mes_run.prices, Reason.FUNDED)
        reasons.update(dict.fromkeys(mes_run.free, Reason.FUNDED_FREE))
        reasons.update(dict.fromkeys(mes_run.eliminated, Reason.UNAFFORDABLE))
        reasons.update(
            {j: Reason.NO_UTILITY if election.supporters[j] else Reason.NO_SUPPORT for j in mes_run.unsupported}
        )
        if spec.fill_greedy:
            fill = greedy(profile, tie_rank, initial=tuple(funded))
            for j in fill.funded:
                reasons[j] = Reason.FUNDED_BY_FILL
            funded.extend(fill.funded)
        if spec.comparison != "none":
            plain = greedy(profile, tie_rank)
            prefer_mes, prefer_greedy = _comparison(election, funded, plain.funded, spec.comparison)
            notes.append(f"comparison step: {prefer_mes} voters prefer MES, {prefer_greedy} prefer greedy")
            if prefer_greedy > prefer_mes:
                funded, reasons = plain.funded, plain.reasons
                notes.append("the greedy outcome replaced MES")
    for j in range(election.n_projects):
        reasons.setdefault(j, Reason.DID_NOT_FIT)
    position = {j: i for i, j in enumerate(funded, start=1)}
    scale = election.money_scale
    costs = election.int_costs
    outcomes = tuple(
        ProjectOutcome(
            project_id=election.project_ids[j],
            cost=election.costs[j],
            score=Fraction(int(profile.score[j]), profile.score_scale),
            votes=int(election.supporters[j]),
            funded=j in position,
            reason=reasons[j],
            position=position.get(j),
        )
        for j in range(election.n_projects)
    )
    return TallyResult(
        spec=spec,
        utility=utility,
        funded=tuple(election.project_ids[j] for j in funded),
        projects=outcomes,
        budget=election.budget,
        spent=Fraction(sum(int(costs[j]) for j in funded), scale),
        metrics=outcome_metrics(profile, funded),
        share_per_voter=share,
        completion_steps=steps,
        notes=tuple(notes),
    )


def _plain(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def _int_threshold(spec: RuleSpec, profile: Profile) -> int | None:
    if spec.threshold is None or spec.rule != "greedy-threshold":
        return None
    return math.ceil(spec.threshold * profile.score_scale)


def _mes_with_completion(profile: Profile, tie_rank: np.ndarray, spec: RuleSpec) -> tuple[MesRun, int]:
    election = profile.election
    solver = MesSolver(profile, tie_rank)
    n = election.n_voters
    if n == 0:
        return MesRun(share=Fraction(0), free=[], unsupported=list(range(election.n_projects))), 0
    budget = election.int_budget
    unit = election.money_scale
    share = Fraction(budget, n)
    if spec.add1_start == "integral" and spec.completion != "none":
        share = Fraction((budget // (n * unit)) * unit)
    costs = solver.costs
    if spec.completion == "none":
        return solver.run(share), 0
    playable = solver.playable
    jumper = _Jumper(solver, unit)
    step = 0
    if spec.completion == "add1":
        previous = MesRun(share=share, funded=list(solver.free), free=list(solver.free))
        outcome = solver.run(share)
        while True:
            spent = outcome.cost(costs)
            if spent > budget:
                return previous, step
            chosen = set(outcome.funded)
            if all(j in chosen or spent + costs[j] > budget for j in playable):
                return outcome, step
            previous = outcome
            outcome, delta = jumper.next(outcome, MAX_COMPLETION_STEPS - 1 - step)
            step += delta
    else:
        outcome = solver.run(share)
        while step < MAX_COMPLETION_STEPS - 1:
            if set(playable) <= set(outcome.funded):
                return outcome, step
            following, delta = jumper.next(outcome, MAX_COMPLETION_STEPS - 1 - step)
            if following.cost(costs) > budget:
                return outcome, step
            outcome = following
            step += delta
    raise CompletionError(f"the completion did not settle within {MAX_COMPLETION_STEPS} steps")


class _Jumper:
    """The next outcome of the add-one completion, skipping runs of steps that provably change nothing.

    `next(outcome)` returns the run `delta` currency units further on: with delta = 1 the plain next step; with
    delta > 1 only when `same_outcome_between` proves that every step in between funds exactly what `outcome` funds,
    so those steps would have passed the completion's checks just as `outcome` did. The jump length adapts: it
    doubles after a proof; after a failed attempt its run is discarded, the plain step is taken and the next jump is
    half as long. It stays 1 while the outcome keeps changing from step to step, so an election whose outcome changes
    at most steps pays (almost) nothing for the attempts.
    """

    def __init__(self, solver: MesSolver, unit: int) -> None:
        self.solver = solver
        self.unit = unit
        self.jump = 1

    def next(self, outcome: MesRun, steps_left: int) -> tuple[MesRun, int]:
        if steps_left <= 0:
            raise CompletionError(f"the completion did not settle within {MAX_COMPLETION_STEPS} steps")
        delta = min(self.jump, steps_left)
        probe = self.solver.run(outcome.share + delta * self.unit)
        if same_outcome_between(outcome, probe, self.solver.tie_rank):
            self.jump = delta * 2
            return probe, delta
        if delta == 1:  # the outcome changes at this step: no jump next time either
            return probe, 1
        self.jump = max(1, delta // 2)  # something changes within the jump: take the plain step, then a shorter jump
        return self.solver.run(outcome.share + self.unit), 1


def _comparison(election: Election, first: list[int], second: list[int], kind: str) -> tuple[int, int]:
    """How many voters prefer `first`, how many `second` (by funded projects they listed, or having any)."""
    profile = election.profile("approval")
    weights = profile.weights
    a = np.zeros(election.n_projects, dtype=bool)
    a[first] = True
    b = np.zeros(election.n_projects, dtype=bool)
    b[second] = True
    hits_a = profile.group_hits(a)
    hits_b = profile.group_hits(b)
    if kind == "exclusion":
        hits_a, hits_b = hits_a > 0, hits_b > 0
    return int(weights[hits_a > hits_b].sum()), int(weights[hits_b > hits_a].sum())


def standard_specs(
    election: Election, threshold: Fraction | None = None, tie_break: TieBreak | None = None
) -> list[RuleSpec]:
    """The rules `compare` shows: the greedy family, MES in its common variants, and Phragmén."""
    tb = tie_break or TieBreak()
    specs = [
        RuleSpec("greedy", tie_break=tb),
        RuleSpec("greedy-no-skip", tie_break=tb),
    ]
    if threshold is not None:
        specs.append(RuleSpec("greedy-threshold", threshold=threshold, tie_break=tb))
    specs += [
        RuleSpec("mes", tie_break=tb),
        RuleSpec("mes", completion="add1", tie_break=tb),
        RuleSpec("mes", completion="add1", fill_greedy=True, tie_break=tb),
        RuleSpec("mes", completion="add1-last-feasible", tie_break=tb),
    ]
    if election.kind == "approval":
        specs.append(RuleSpec("mes", utility="approval", tie_break=tb))
    specs.append(RuleSpec("phragmen", tie_break=tb))
    return specs


def compare(election: Election, specs: list[RuleSpec], utility: str | None = None) -> list[TallyResult]:
    """Tally every spec; figures of all rows use one utility (the ballots' natural one unless given)."""
    reporting = utility or ("cost" if election.kind == "approval" else "points")
    profile = election.profile(reporting)
    results = []
    for spec in specs:
        result = tally(election, spec)
        ids = {pid: j for j, pid in enumerate(election.project_ids)}
        results.append(replace(result, metrics=outcome_metrics(profile, [ids[p] for p in result.funded])))
    return results
