"""Greedy counting by score, as most cities count: fund the best-scored projects while the money lasts.

* ``greedy``           – go down the ranking; skip a project that no longer fits and try the next ones;
* ``greedy-no-skip``   – go down the ranking and stop at the first project that does not fit;
* ``greedy-threshold`` – like ``greedy``, but a project needs at least `threshold` score to be funded.

The ranking is by score (votes, or points for point and ranked ballots), ties by the tie-breaking order. Projects
that cost nothing but have support come first: this is pabutools' `greedy_utilitarian_welfare` ordering (satisfaction
per unit of cost, with cost-weighted scores), so the funded set is identical to pabutools'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from veche.budgeting.rules_engine.election import Profile
from veche.budgeting.rules_engine.reasons import Reason


@dataclass
class GreedyRun:
    funded: list[int] = field(default_factory=list)
    reasons: dict[int, Reason] = field(default_factory=dict)
    stopped_at: int | None = None


def greedy_order(profile: Profile, tie_rank: np.ndarray) -> list[int]:
    """Projects in the order greedy considers them."""
    costs = profile.election.int_costs
    score = profile.score
    keys = [(0 if costs[j] == 0 and score[j] > 0 else 1, -int(score[j]), int(tie_rank[j])) for j in range(len(score))]
    return sorted(range(len(score)), key=keys.__getitem__)


def greedy(
    profile: Profile,
    tie_rank: np.ndarray,
    *,
    no_skip: bool = False,
    threshold: int | None = None,
    initial: tuple[int, ...] = (),
    budget: int | None = None,
) -> GreedyRun:
    """Run a greedy rule in integer money units (`budget` defaults to the election's).

    `threshold` is compared with the integer score (already multiplied by profile.score_scale). `initial` projects are
    already funded (the greedy fill after MES) and their cost is taken from the budget.
    """
    costs = profile.election.int_costs
    remaining = (profile.election.int_budget if budget is None else budget) - sum(int(costs[j]) for j in initial)
    run = GreedyRun()
    done = set(initial)
    for j in greedy_order(profile, tie_rank):
        if j in done:
            continue
        if run.stopped_at is not None:
            run.reasons[j] = Reason.NOT_REACHED
        elif threshold is not None and profile.score[j] < threshold:
            run.reasons[j] = Reason.BELOW_THRESHOLD
        elif int(costs[j]) <= remaining:
            run.funded.append(j)
            run.reasons[j] = Reason.FUNDED
            remaining -= int(costs[j])
        else:
            run.reasons[j] = Reason.DID_NOT_FIT
            if no_skip:
                run.stopped_at = j
    return run
