"""Phase state, computed here and nowhere else. Pure Python: no Django import, so the CLI, benchmarks and property
tests use it directly, and models, querysets and views all delegate to it.

A phase is a Span (key, starts_at, ends_at); a module's timeline is its spans in the order its module type declares
them. A phase starts at starts_at (inclusive) and ends at ends_at (exclusive): at the very moment one phase ends the
next one may start. A phase without both dates is unscheduled and never active.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class PhaseState(StrEnum):
    UNSCHEDULED = "unscheduled"
    UPCOMING = "upcoming"
    ACTIVE = "active"
    FINISHED = "finished"


class Span(NamedTuple):
    """One phase on a timeline. A plain (key, start, end) tuple works wherever a Span is expected."""

    key: str
    starts_at: datetime | None
    ends_at: datetime | None


class ProblemCode(StrEnum):
    HALF_SCHEDULED = "half_scheduled"
    END_NOT_AFTER_START = "end_not_after_start"
    OVERLAP = "overlap"
    OUT_OF_ORDER = "out_of_order"


@dataclass(frozen=True)
class TimelineProblem:
    """What is wrong with a timeline: code, the phase it concerns and, for overlaps and order, the other phase."""

    code: ProblemCode
    key: str
    other: str | None = None


def _span(value: Sequence[object]) -> Span:
    return value if isinstance(value, Span) else Span(*value)  # type: ignore[arg-type]


def is_scheduled(span: Sequence[object]) -> bool:
    item = _span(span)
    return item.starts_at is not None and item.ends_at is not None


def state_at(span: Sequence[object], now: datetime) -> PhaseState:
    """The state of one phase at the moment now: start inclusive, end exclusive."""
    item = _span(span)
    if item.starts_at is None or item.ends_at is None:
        return PhaseState.UNSCHEDULED
    if now < item.starts_at:
        return PhaseState.UPCOMING
    if now < item.ends_at:
        return PhaseState.ACTIVE
    return PhaseState.FINISHED


def states_at(spans: Iterable[Sequence[object]], now: datetime) -> list[tuple[Span, PhaseState]]:
    """Every phase with its state, in the order given."""
    return [(item, state_at(item, now)) for item in map(_span, spans)]


def current_phase(spans: Iterable[Sequence[object]], now: datetime) -> Span | None:
    """The active phase, or None between phases, before the first and after the last.

    On a valid timeline at most one phase is active; on an invalid one the first active in order wins.
    """
    for item, state in states_at(spans, now):
        if state is PhaseState.ACTIVE:
            return item
    return None


def next_phase(spans: Iterable[Sequence[object]], now: datetime) -> Span | None:
    """The upcoming phase that starts soonest (the first in order on a tie), or None."""
    upcoming = [item for item, state in states_at(spans, now) if state is PhaseState.UPCOMING]
    if not upcoming:
        return None
    return min(upcoming, key=lambda item: item.starts_at)  # type: ignore[arg-type,return-value]


def timeline_state(spans: Iterable[Sequence[object]], now: datetime) -> PhaseState:
    """The state of a whole timeline (a module, or all of a process's modules together).

    Unscheduled when no phase has dates; upcoming before the first scheduled phase starts; finished once the last one
    has ended; active in between, including the gaps between phases (the process is under way).
    """
    bounds = [_bounds(item) for item in map(_span, spans)]
    scheduled = [pair for pair in bounds if pair is not None]
    if not scheduled:
        return PhaseState.UNSCHEDULED
    if now < min(start for start, _end in scheduled):
        return PhaseState.UPCOMING
    if now >= max(end for _start, end in scheduled):
        return PhaseState.FINISHED
    return PhaseState.ACTIVE


def _bounds(span: Span) -> tuple[datetime, datetime] | None:
    if span.starts_at is None or span.ends_at is None:
        return None
    return span.starts_at, span.ends_at


def timeline_problems(spans: Iterable[Sequence[object]]) -> list[TimelineProblem]:
    """Everything that makes a timeline invalid; an empty list means it is valid.

    Rules: a phase has both dates or neither; it ends after it starts; scheduled phases follow the declared order
    (the order of spans) and do not overlap — a phase may start exactly when the previous one ends.
    """
    problems: list[TimelineProblem] = []
    items = list(map(_span, spans))
    proper: list[Span] = []
    for item in items:
        if (item.starts_at is None) != (item.ends_at is None):
            problems.append(TimelineProblem(ProblemCode.HALF_SCHEDULED, item.key))
        elif is_scheduled(item):
            if item.ends_at <= item.starts_at:  # type: ignore[operator]
                problems.append(TimelineProblem(ProblemCode.END_NOT_AFTER_START, item.key))
            else:
                proper.append(item)
    for index, earlier in enumerate(proper):
        for later in proper[index + 1 :]:
            if later.starts_at < earlier.ends_at and earlier.starts_at < later.ends_at:  # type: ignore[operator]
                problems.append(TimelineProblem(ProblemCode.OVERLAP, later.key, earlier.key))
            elif later.ends_at <= earlier.starts_at:  # type: ignore[operator]
                problems.append(TimelineProblem(ProblemCode.OUT_OF_ORDER, later.key, earlier.key))
    return problems


def is_valid_timeline(spans: Iterable[Sequence[object]]) -> bool:
    return not timeline_problems(spans)


def active_features(
    spans: Iterable[Sequence[object]], now: datetime, features_by_phase: Mapping[str, frozenset[str]]
) -> frozenset[str]:
    """What the module allows now: the union of the features its module type declares for the active phase(s).

    Phases whose key the module type no longer declares contribute nothing.
    """
    result: frozenset[str] = frozenset()
    for item, state in states_at(spans, now):
        if state is PhaseState.ACTIVE:
            result |= features_by_phase.get(item.key, frozenset())
    return result
