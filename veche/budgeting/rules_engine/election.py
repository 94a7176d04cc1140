"""The numeric form of a participatory-budgeting election that every rule works on.

`Election` holds projects, exact costs, the budget and the ballots (compressed rows of project indices, plus points
for cumulative/scoring ballots). `Profile` is an election seen through one utility function:

* ``cost``     – a voter's utility for a project they support is its cost (MES "cost utilities", equalshares.net);
* ``approval`` – utility 1 per supported project (cardinality utilities);
* ``points``   – the points the voter gave (cumulative/scoring) or positional points for a ranking.

Identical voters are merged into weighted groups, which keeps results identical (they always pay the same) and makes
choose-1 elections with tens of thousands of voters as cheap as their handful of distinct ballots. All money and
utilities are scaled to integers so that exact comparisons need no floating point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from veche.budgeting.pabulib import Instance

BALLOT_KINDS = ("approval", "cumulative", "scoring", "ordinal")
UTILITIES = ("cost", "approval", "points")
ORDINAL_POINTS = ("positional", "borda")


def _lcm_of_denominators(values: Sequence[Fraction]) -> int:
    scale = 1
    for value in values:
        scale = math.lcm(scale, value.denominator)
    return scale


@dataclass(frozen=True, eq=False)
class Election:
    """Projects, costs, budget and ballots of one election (one pool)."""

    project_ids: tuple[str, ...]
    costs: tuple[Fraction, ...]
    budget: Fraction
    kind: str
    ptr: np.ndarray  # int64, n_voters + 1: voter v's entries are items[ptr[v]:ptr[v + 1]]
    items: np.ndarray  # int32 project indices, in ballot order (preference order for rankings)
    points: np.ndarray | None  # int64 points × points_scale, parallel to items (cumulative/scoring only)
    points_scale: int = 1
    max_length: int | None = None

    @classmethod
    def build(
        cls,
        *,
        project_ids: Sequence[str],
        costs: Sequence[Fraction | int],
        budget: Fraction | int,
        kind: str,
        ballots: Sequence[Sequence[str]],
        points: Sequence[Sequence[Fraction | int]] | None = None,
        max_length: int | None = None,
    ) -> Election:
        """Build from plain data: ballots are lists of project ids (most preferred first for rankings)."""
        if kind == "choose-1":
            kind = "approval"
        if kind not in BALLOT_KINDS:
            raise ValueError(f"unknown ballot kind {kind!r}")
        if len(set(project_ids)) != len(project_ids):
            raise ValueError("project ids must be unique")
        if len(costs) != len(project_ids):
            raise ValueError("one cost per project")
        exact_costs = tuple(Fraction(c) for c in costs)
        if any(c < 0 for c in exact_costs) or Fraction(budget) < 0:
            raise ValueError("costs and the budget must not be negative")
        index = {pid: i for i, pid in enumerate(project_ids)}
        lengths = np.fromiter((len(b) for b in ballots), dtype=np.int64, count=len(ballots))
        ptr = np.zeros(len(ballots) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ptr[1:])
        try:
            items = np.fromiter((index[p] for b in ballots for p in b), dtype=np.int32, count=int(ptr[-1]))
        except KeyError as exc:
            raise ValueError(f"a ballot names the unknown project {exc.args[0]!r}") from None
        point_array = None
        scale = 1
        if kind in ("cumulative", "scoring"):
            if points is None or len(points) != len(ballots):
                raise ValueError("cumulative and scoring ballots need points")
            flat = [Fraction(p) for row in points for p in row]
            if len(flat) != len(items) or any(len(p) != len(b) for p, b in zip(points, ballots, strict=True)):
                raise ValueError("one number of points per listed project")
            if any(p < 0 for p in flat):
                raise ValueError("points must not be negative")
            scale = _lcm_of_denominators(flat)
            point_array = np.array([int(p * scale) for p in flat], dtype=np.int64)
        return cls(
            project_ids=tuple(project_ids),
            costs=exact_costs,
            budget=Fraction(budget),
            kind=kind,
            ptr=ptr,
            items=items,
            points=point_array,
            points_scale=scale,
            max_length=max_length,
        )

    @classmethod
    def from_pabulib(cls, instance: Instance) -> Election:
        """The election in a parsed Pabulib file."""
        votes = list(instance.votes.values())
        kind = instance.vote_type
        max_length = None
        raw = instance.meta.get("max_length", "").strip()
        if raw.isdigit():
            max_length = int(raw)
        return cls.build(
            project_ids=list(instance.projects),
            costs=[p.cost for p in instance.projects.values()],
            budget=instance.budget,
            kind=kind,
            ballots=[v.projects for v in votes],
            points=[v.points or () for v in votes] if kind in ("cumulative", "scoring") else None,
            max_length=max_length,
        )

    @property
    def n_projects(self) -> int:
        return len(self.project_ids)

    @property
    def n_voters(self) -> int:
        return len(self.ptr) - 1

    @cached_property
    def money_scale(self) -> int:
        """Multiplying costs and the budget by this makes them all integers."""
        return _lcm_of_denominators([*self.costs, self.budget])

    @cached_property
    def int_costs(self) -> np.ndarray:
        """Costs × money_scale as exact integers (object array when they would not fit in int64)."""
        values = [int(c * self.money_scale) for c in self.costs]
        dtype = np.int64 if max(values, default=0) < 2**40 else object
        return np.array(values, dtype=dtype)

    @cached_property
    def int_budget(self) -> int:
        return int(self.budget * self.money_scale)

    @cached_property
    def supporters(self) -> np.ndarray:
        """How many voters list each project (the 'votes' of a project)."""
        return np.bincount(self.items, minlength=self.n_projects).astype(np.int64)

    def ordinal_length(self) -> int:
        """L in 'the first choice gets L points, the next L-1, …' for rankings."""
        longest = int(np.max(np.diff(self.ptr), initial=0))
        if self.max_length is not None and self.max_length >= longest:
            return self.max_length
        return longest

    def raw_points(self, ordinal_points: str = "positional") -> tuple[np.ndarray, int]:
        """Integer points per ballot entry and their scale (true points = value / scale).

        Rankings: 'positional' gives the first choice L points, the second L-1, … where L is META max_length (Kraków's
        3/2/1); 'borda' is pabutools' Additive_Borda_Sat (a ballot of length k gives k-1, …, 0).
        Approval ballots count 1 per listed project.
        """
        if self.points is not None:
            return self.points, self.points_scale
        if self.kind != "ordinal":
            return np.ones(len(self.items), dtype=np.int64), 1
        if ordinal_points not in ORDINAL_POINTS:
            raise ValueError(f"unknown ordinal points {ordinal_points!r}")
        lengths = np.diff(self.ptr)
        rank = np.arange(len(self.items), dtype=np.int64) - np.repeat(self.ptr[:-1], lengths)
        if ordinal_points == "borda":
            return np.repeat(lengths, lengths) - rank - 1, 1
        return self.ordinal_length() - rank, 1

    def profile(self, utility: str, ordinal_points: str = "positional") -> Profile:
        return Profile.build(self, utility, ordinal_points)


@dataclass(frozen=True, eq=False)
class Profile:
    """An election under one utility function, with identical voters merged into weighted groups.

    Group rows (g_ptr/g_proj/g_util) and project columns (sup_ptr/sup_group/sup_util) hold only positive utilities.
    `util_factor` converts the integer utilities back to their true value (currency units, projects or points).
    `score` is what greedy ranks by: the number of supporters (cost/approval utility) or the total points.
    """

    election: Election
    utility: str
    n_voters: int
    weights: np.ndarray
    voter_group: np.ndarray
    g_ptr: np.ndarray
    g_proj: np.ndarray
    g_util: np.ndarray
    sup_ptr: np.ndarray
    sup_group: np.ndarray
    sup_util: np.ndarray
    util_factor: Fraction
    score: np.ndarray  # int64: supporters, or total points × score_scale
    score_scale: int

    @classmethod
    def build(cls, election: Election, utility: str, ordinal_points: str = "positional") -> Profile:
        if utility not in UTILITIES:
            raise ValueError(f"unknown utility {utility!r}")
        n = election.n_voters
        raw_points, point_scale = election.raw_points(ordinal_points)
        if utility == "points":
            entry_util = raw_points
            entry_score = raw_points
            score_scale = point_scale
            factor = Fraction(1, point_scale)
        else:
            entry_score = np.ones(len(election.items), dtype=np.int64)
            score_scale = 1
            if utility == "cost":
                entry_util = election.int_costs[election.items]
                factor = Fraction(1, election.money_scale)
            else:
                entry_util = np.ones(len(election.items), dtype=np.int64)
                factor = Fraction(1)
        lengths = np.diff(election.ptr)
        voter_of_entry = np.repeat(np.arange(n, dtype=np.int64), lengths)
        keep = entry_util > 0
        voter_of_entry = voter_of_entry[keep]
        proj = election.items[keep].astype(np.int64)
        util = entry_util[keep]
        # sort entries by (voter, project) so each row is canonical
        order = np.argsort(voter_of_entry * election.n_projects + proj, kind="stable")
        voter_of_entry, proj, util = voter_of_entry[order], proj[order], util[order]
        row_len = np.bincount(voter_of_entry, minlength=n)
        weights, voter_group, g_len, first_entry = _group_identical_rows(n, row_len, proj, util)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(row_len, out=starts[1:])
        g_ptr = np.zeros(len(weights) + 1, dtype=np.int64)
        np.cumsum(g_len, out=g_ptr[1:])
        take = _ranges(starts[first_entry], g_len)
        g_proj = proj[take].astype(np.int32)
        g_util = util[take]
        g_of_entry = np.repeat(np.arange(len(weights), dtype=np.int64), g_len)
        by_project = np.argsort(g_proj, kind="stable")
        sup_group = g_of_entry[by_project].astype(np.int32)
        sup_util = g_util[by_project]
        sup_ptr = np.zeros(election.n_projects + 1, dtype=np.int64)
        np.cumsum(np.bincount(g_proj, minlength=election.n_projects), out=sup_ptr[1:])
        # float64 sums of these small integers are exact
        totals = np.bincount(election.items, weights=entry_score, minlength=election.n_projects)
        score = np.rint(totals).astype(np.int64)
        return cls(
            election=election,
            utility=utility,
            n_voters=n,
            weights=weights,
            voter_group=voter_group,
            g_ptr=g_ptr,
            g_proj=g_proj,
            g_util=g_util,
            sup_ptr=sup_ptr,
            sup_group=sup_group,
            sup_util=sup_util,
            util_factor=factor,
            score=score,
            score_scale=score_scale,
        )

    @property
    def n_groups(self) -> int:
        return len(self.weights)

    def supporters_of(self, project: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.sup_ptr[project], self.sup_ptr[project + 1]
        return self.sup_group[lo:hi], self.sup_util[lo:hi]

    @cached_property
    def total_utility(self) -> np.ndarray:
        """Σ over voters of the (integer) utility for each project."""
        weighted = self.sup_util * self.weights[self.sup_group]
        total = np.zeros(self.election.n_projects, dtype=weighted.dtype)
        np.add.at(total, np.repeat(np.arange(self.election.n_projects), np.diff(self.sup_ptr)), weighted)
        return total

    @cached_property
    def group_of_entry(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_groups, dtype=np.int64), np.diff(self.g_ptr))

    def group_satisfaction(self, funded: np.ndarray) -> np.ndarray:
        """Integer utility of each group for a boolean mask of funded projects."""
        values = np.where(funded[self.g_proj], self.g_util, 0)
        sat = np.zeros(self.n_groups, dtype=values.dtype)
        np.add.at(sat, self.group_of_entry, values)
        return sat

    def group_hits(self, funded: np.ndarray) -> np.ndarray:
        """How many funded projects each group supports."""
        return np.bincount(self.group_of_entry, weights=funded[self.g_proj], minlength=self.n_groups).astype(np.int64)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of range(s, s + l) for each pair, vectorised."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + (np.arange(total, dtype=np.int64) - offsets)


def _group_identical_rows(
    n: int, row_len: np.ndarray, proj: np.ndarray, util: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge voters whose (project, utility) rows are identical.

    Returns the weight of each group, the group of each voter, each group's row length and the index of one voter
    of the group (whose row is the group's row). Groups are numbered in order of their first voter.
    """
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(row_len[:-1], out=starts[1:])
    if util.dtype == object:  # utilities too large for int64: merge with Python tuples
        keys: dict[tuple, int] = {}
        voter_group = np.empty(n, dtype=np.int64)
        for v in range(n):
            row = slice(starts[v], starts[v] + row_len[v])
            voter_group[v] = keys.setdefault((tuple(proj[row]), tuple(util[row])), len(keys))
    else:
        hashed = _group_by_hash(n, row_len, starts, proj, util)
        voter_group = hashed if hashed is not None else _group_by_sorting(n, row_len, starts, proj, util)
    n_groups = int(voter_group.max()) + 1
    weights = np.bincount(voter_group, minlength=n_groups).astype(np.int64)
    first = np.full(n_groups, n, dtype=np.int64)
    np.minimum.at(first, voter_group, np.arange(n, dtype=np.int64))
    return weights, voter_group, row_len[first], first


_MIX = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX[0]
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX[1]
    return x ^ (x >> np.uint64(31))


def _group_by_hash(
    n: int, row_len: np.ndarray, starts: np.ndarray, proj: np.ndarray, util: np.ndarray
) -> np.ndarray | None:
    """Group voters by a 64-bit hash of their row, then verify every voter equals its group's first voter.

    Returns None in the (astronomically unlikely) case of a hash collision, so the caller sorts instead.
    """
    with np.errstate(over="ignore"):
        entry = _splitmix(proj.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + util.astype(np.uint64))
        row_hash = np.zeros(n, dtype=np.uint64)
        filled = np.flatnonzero(row_len > 0)
        if len(filled):
            row_hash[filled] = np.add.reduceat(entry, starts[filled])
        row_hash = _splitmix(row_hash + row_len.astype(np.uint64))
    _, first_of_unique, inverse = np.unique(row_hash, return_index=True, return_inverse=True)
    order = np.argsort(first_of_unique, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    voter_group = rank[inverse.reshape(-1)]
    representative = first_of_unique[order][voter_group]
    if not np.array_equal(row_len, row_len[representative]):
        return None
    mirror = _ranges(starts[representative], row_len)
    if not (np.array_equal(proj, proj[mirror]) and np.array_equal(util, util[mirror])):
        return None
    return voter_group


def _group_by_sorting(
    n: int, row_len: np.ndarray, starts: np.ndarray, proj: np.ndarray, util: np.ndarray
) -> np.ndarray:
    """Exact grouping by sorting the rows (padded into a matrix); the fallback of _group_by_hash."""
    width = int(row_len.max(initial=0))
    matrix = np.full((n, 2 * width + 1), -1, dtype=np.int64)
    matrix[:, 0] = row_len
    if width:
        voter = np.repeat(np.arange(n), row_len)
        col = np.arange(len(proj)) - np.repeat(starts, row_len)
        matrix[voter, 1 + col] = proj
        matrix[voter, 1 + width + col] = util
    order = np.lexsort(matrix.T[::-1])
    ordered = matrix[order]
    new_row = np.ones(n, dtype=bool)
    new_row[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    sorted_id = np.cumsum(new_row) - 1
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = sorted_id
    first_of_sorted = np.full(int(sorted_id[-1]) + 1, n, dtype=np.int64)
    np.minimum.at(first_of_sorted, inverse, np.arange(n, dtype=np.int64))
    rank = np.empty(len(first_of_sorted), dtype=np.int64)
    rank[np.argsort(first_of_sorted, kind="stable")] = np.arange(len(first_of_sorted))
    return rank[inverse]
