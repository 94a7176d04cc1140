"""The standards checklist score: pure computation, no Django import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

POINTS = {"met": 1.0, "partly": 0.5, "not_met": 0.0}


@dataclass(frozen=True)
class ChecklistScore:
    items: int  # items in the standard
    assessed: int
    met: int
    partly: int
    not_met: int
    points: float

    @property
    def percent(self) -> int | None:
        """Points as a share of the standard's items (unassessed items earn nothing); None for an empty standard."""
        return round(100 * self.points / self.items) if self.items else None

    @property
    def complete(self) -> bool:
        return self.items > 0 and self.assessed == self.items


def checklist_score(ratings: Iterable[str], items: int) -> ChecklistScore:
    """Score the ratings given (met / partly / not_met; anything else is ignored) against a standard of `items`."""
    given = [rating for rating in ratings if rating in POINTS]
    if len(given) > items:
        raise ValueError("More ratings than items in the standard.")
    return ChecklistScore(
        items=items,
        assessed=len(given),
        met=given.count("met"),
        partly=given.count("partly"),
        not_met=given.count("not_met"),
        points=sum(POINTS[rating] for rating in given),
    )
