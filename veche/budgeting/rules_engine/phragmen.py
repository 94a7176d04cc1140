"""Sequential Phragmén, exact.

Voters earn virtual money at the same steady rate; as soon as the supporters of a project together hold its cost, the
project is bought and its supporters' money is spent (their "load" becomes equal). Counting stops as soon as the next
project to be bought does not fit in the budget. Supporters are the voters who list the project (approval reading of
any ballot). This is pabutools' `sequential_phragmen` step for step, including its treatment of projects nobody
supports (bought last, while they fit).

Exactness: every voter's load equals the "max load" at the moment the last project they support was bought, so a
voter's load is one of a short list of exact fractions; sums of loads are integer counts times those fractions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from veche.budgeting.rules_engine.election import Profile
from veche.budgeting.rules_engine.mes import TOL


@dataclass
class PhragmenRun:
    funded: list[int] = field(default_factory=list)
    loads: dict[int, Fraction] = field(default_factory=dict)
    stopped_at: list[int] = field(default_factory=list)
    over_budget: list[int] = field(default_factory=list)


def phragmen(profile: Profile, tie_rank: np.ndarray) -> PhragmenRun:
    """Run sequential Phragmén on a profile with approval utilities (utility 'approval')."""
    election = profile.election
    costs = [int(c) for c in election.int_costs]
    budget = election.int_budget
    weights = profile.weights
    run = PhragmenRun()
    n_projects = election.n_projects
    score = np.zeros(n_projects, dtype=np.int64)
    for j in range(n_projects):
        groups, _ = profile.supporters_of(j)
        score[j] = int(weights[groups].sum())
    remaining = [j for j in range(n_projects) if costs[j] <= budget]
    run.over_budget = [j for j in range(n_projects) if costs[j] > budget]
    levels: list[Fraction] = [Fraction(0)]  # load levels; a voter's load is levels[level[g]]
    levels_f = np.zeros(n_projects + 1)
    level = np.zeros(profile.n_groups, dtype=np.int64)
    spent = 0
    while remaining:
        estimate = {}
        for j in remaining:
            if score[j] == 0:
                estimate[j] = np.inf
            else:
                groups, _ = profile.supporters_of(j)
                load = float(profile.weights[groups] @ levels_f[level[groups]])
                estimate[j] = (load + costs[j]) / float(score[j])
        best = min(estimate.values())
        if best == np.inf:
            tied = list(remaining)
            lowest = None
        else:
            near = [j for j in remaining if estimate[j] <= best * (1 + TOL)]
            exact = {j: _exact_load(profile, j, level, levels, costs[j], int(score[j])) for j in near}
            lowest = min(exact.values())
            tied = [j for j in near if exact[j] == lowest]
        if any(spent + costs[j] > budget for j in tied):
            run.stopped_at = sorted(tied, key=lambda p: tie_rank[p])
            break
        winner = min(tied, key=lambda p: tie_rank[p])
        if lowest is not None:
            groups, _ = profile.supporters_of(winner)
            levels.append(lowest)
            levels_f[len(levels) - 1] = float(lowest)
            level[groups] = len(levels) - 1
            run.loads[winner] = lowest
        spent += costs[winner]
        run.funded.append(winner)
        remaining.remove(winner)
    return run


def _exact_load(profile: Profile, j: int, level: np.ndarray, levels: list[Fraction], cost: int, score: int) -> Fraction:
    groups, _ = profile.supporters_of(j)
    per_level = np.bincount(level[groups], weights=profile.weights[groups], minlength=len(levels))
    total = Fraction(cost)
    for index in np.flatnonzero(per_level):
        total += levels[index] * int(per_level[index])
    return total / score
