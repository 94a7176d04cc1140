"""Whether a selection is a valid ballot for a pool — pure Python, no Django, so the voting service, paper entry, the
imports and the tests share one definition.

`check_ballot` returns every problem it finds as a `Problem` (a stable code plus the numbers a message needs); the
voting service turns them into sentences a voter understands. An empty list means the ballot is valid.

Codes and their params:
  empty                      —
  duplicate                  projects: the ids chosen more than once
  unknown_project            projects: the ids not on this pool's ballot
  too_many                   count, limit
  over_budget                total, budget, excess                       (knapsack)
  points_not_allowed         —                                           (points sent for a non-points ballot)
  points_missing             —                                           (cumulative without points)
  points_mismatch            projects, points: the two lengths
  points_not_positive        projects: the ids given zero, negative or non-integer points
  points_over_total          total, limit
  points_over_per_project    projects: the ids over the limit, limit
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

APPROVAL = "approval"
KNAPSACK = "knapsack"
CUMULATIVE = "cumulative"
RANKING = "ranking"
KINDS = frozenset({APPROVAL, KNAPSACK, CUMULATIVE, RANKING})

Number = int | Decimal


@dataclass(frozen=True)
class BallotSpec:
    """The rules of one pool's ballot. `costs` maps each project on the ballot (accepted, in this pool) to its cost;
    anything else is an unknown project. Limits that are None do not apply."""

    kind: str
    budget: Number
    costs: Mapping[int, Number]
    max_choices: int | None = None
    points_per_voter: int | None = None
    max_points_per_project: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown ballot type {self.kind!r}.")


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_ballot(spec: BallotSpec, projects: Sequence[int], points: Sequence[int] | None = None) -> list[Problem]:
    """Every way in which `projects` (with `points` parallel to them on cumulative ballots) breaks `spec`."""
    if not projects:
        return [Problem("empty")]
    problems: list[Problem] = []
    counts = Counter(projects)
    repeated = sorted(project for project, count in counts.items() if count > 1)
    if repeated:
        problems.append(Problem("duplicate", {"projects": repeated}))
    unknown = sorted({project for project in projects if project not in spec.costs})
    if unknown:
        problems.append(Problem("unknown_project", {"projects": unknown}))
    chosen = list(dict.fromkeys(project for project in projects if project in spec.costs))

    if spec.kind in (APPROVAL, RANKING) and spec.max_choices is not None and len(counts) > spec.max_choices:
        problems.append(Problem("too_many", {"count": len(counts), "limit": spec.max_choices}))

    if spec.kind == KNAPSACK:
        total = sum((spec.costs[project] for project in chosen), start=0)
        if total > spec.budget:
            problems.append(
                Problem("over_budget", {"total": total, "budget": spec.budget, "excess": total - spec.budget})
            )

    if spec.kind == CUMULATIVE:
        problems.extend(_check_points(spec, projects, points))
    elif points is not None:
        problems.append(Problem("points_not_allowed"))
    return problems


def _check_points(spec: BallotSpec, projects: Sequence[int], points: Sequence[int] | None) -> list[Problem]:
    if points is None:
        return [Problem("points_missing")]
    if len(points) != len(projects):
        return [Problem("points_mismatch", {"projects": len(projects), "points": len(points)})]
    problems: list[Problem] = []
    not_positive = sorted({p for p, given in zip(projects, points, strict=True) if not _is_whole(given) or given < 1})
    if not_positive:
        problems.append(Problem("points_not_positive", {"projects": not_positive}))
        return problems
    total = sum(points)
    if spec.points_per_voter is not None and total > spec.points_per_voter:
        problems.append(Problem("points_over_total", {"total": total, "limit": spec.points_per_voter}))
    if spec.max_points_per_project is not None:
        per_project: Counter[int] = Counter()
        for project, given in zip(projects, points, strict=True):
            per_project[project] += given
        over = sorted(project for project, given in per_project.items() if given > spec.max_points_per_project)
        if over:
            problems.append(
                Problem("points_over_per_project", {"projects": over, "limit": spec.max_points_per_project})
            )
    return problems


RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_code(text: str) -> str:
    """A receipt or voting code as typed (any case, spaces, dashes, O for 0, I or L for 1) → its bare form."""
    bare = "".join(ch for ch in text.upper() if ch.isalnum())
    return bare.translate(_CONFUSABLE)


def group_code(bare: str, size: int = 5) -> str:
    """ABCDE12345 → ABCDE-12345."""
    return "-".join(bare[index : index + size] for index in range(0, len(bare), size))
