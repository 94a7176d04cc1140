"""Who took part compared with who lives there: pure computation, no Django import, so the report, the CLI and the
tests use it directly.

Counts below the suppression threshold are never shown (only "fewer than 5"), nor are shares that would reveal
them. A group is under-represented when its share among the participants who answered falls below `ratio` times
its share of the population (with the default 0.8: a group that is 20 % of residents but under 16 % of
participants). Nothing is compared while fewer than `threshold` participants answered at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SUPPRESS_BELOW = 5
UNDER_RATIO = 0.8


@dataclass(frozen=True)
class GroupShare:
    group: str
    count: int | None  # None: suppressed (fewer than the threshold)
    share: float | None  # of the participants who answered; None when suppressed or too few answered
    population_share: float | None  # None when no population figure was given for the group
    under_represented: bool

    @property
    def suppressed(self) -> bool:
        return self.count is None


def suppress(count: int, threshold: int = SUPPRESS_BELOW) -> int | None:
    """The count if it may be shown, else None."""
    return count if count >= threshold else None


def compare(
    sample: Mapping[str, int],
    population: Mapping[str, int] | None = None,
    *,
    threshold: int = SUPPRESS_BELOW,
    ratio: float = UNDER_RATIO,
) -> list[GroupShare]:
    """Each group of sample (participants per group, undisclosed answers left out by the caller) and of
    population (residents per group), in the population's order and then the sample's.

    Negative counts are refused (ValueError). Groups present only in the population get a count of 0.
    """
    population = population or {}
    if any(value < 0 for value in sample.values()) or any(value < 0 for value in population.values()):
        raise ValueError("Counts cannot be negative.")
    answered = sum(sample.values())
    residents = sum(population.values())
    comparable = answered >= threshold
    groups = list(population) + [group for group in sample if group not in population]
    result = []
    for group in groups:
        count = sample.get(group, 0)
        shown = suppress(count, threshold)
        share = count / answered if comparable and answered else None
        population_share = population[group] / residents if group in population and residents else None
        under = bool(
            comparable and population_share is not None and share is not None and share < ratio * population_share
        )
        result.append(
            GroupShare(
                group=group,
                count=shown,
                share=share if shown is not None else None,
                population_share=population_share,
                under_represented=under,
            )
        )
    return result


def normalise_group(name: str) -> str:
    """How district names are matched: case, surrounding and repeated spaces do not count."""
    return " ".join(name.split()).casefold()
