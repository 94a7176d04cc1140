"""Figures that explain an outcome to residents.

A voter's satisfaction is the sum of their utility over the funded projects they support:

* ``cost``     – the money spent on projects they voted for (in the currency);
* ``approval`` – how many projects they voted for were funded;
* ``points``   – the points they gave to funded projects (positional points for rankings).

`average_satisfaction` averages over all voters (empty ballots count as 0); `gini` is the Gini coefficient of the
satisfaction over voters (0 = everyone equally satisfied, 1 = one voter has everything); `share_with_funded` is the
share of voters with at least one funded project they voted for (independent of the utility).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from veche.budgeting.rules_engine.election import Profile


@dataclass(frozen=True)
class Metrics:
    utility: str
    voters: int
    share_with_funded: float
    average_satisfaction: float
    gini: float


def weighted_gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Gini coefficient of values held by weights[i] voters each (mean absolute difference / twice the mean)."""
    total_weight = float(weights.sum())
    if total_weight == 0:
        return 0.0
    order = np.argsort(values, kind="stable")
    x = values[order].astype(np.float64)
    w = weights[order].astype(np.float64)
    mean = float(w @ x) / total_weight
    if mean <= 0:
        return 0.0
    before = np.cumsum(w) - w
    return float((w * x) @ (2 * before + w - total_weight)) / (total_weight**2 * mean)


def outcome_metrics(profile: Profile, funded: list[int] | tuple[int, ...]) -> Metrics:
    mask = np.zeros(profile.election.n_projects, dtype=bool)
    mask[list(funded)] = True
    sat = profile.group_satisfaction(mask).astype(np.float64) * float(profile.util_factor)
    weights = profile.weights
    voters = profile.n_voters
    if voters == 0:
        return Metrics(profile.utility, 0, 0.0, 0.0, 0.0)
    hits = profile.group_hits(mask) > 0
    return Metrics(
        utility=profile.utility,
        voters=voters,
        share_with_funded=float(weights[hits].sum()) / voters,
        average_satisfaction=float(weights @ sat) / voters,
        gini=weighted_gini(sat, weights),
    )
