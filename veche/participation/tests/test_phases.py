"""phases.py: the one place phase state is decided. Plain datetimes, no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from veche.participation import phases
from veche.participation.phases import PhaseState, ProblemCode, Span

UTC = dt.UTC
T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


TIMELINE = [("info", at(0), at(10)), ("vote", at(10), at(20)), ("results", at(30), at(40))]


def test_start_is_inclusive_and_end_exclusive():
    span = ("vote", at(10), at(20))
    assert phases.state_at(span, at(10) - dt.timedelta(microseconds=1)) is PhaseState.UPCOMING
    assert phases.state_at(span, at(10)) is PhaseState.ACTIVE
    assert phases.state_at(span, at(20) - dt.timedelta(microseconds=1)) is PhaseState.ACTIVE
    assert phases.state_at(span, at(20)) is PhaseState.FINISHED


def test_phase_without_dates_is_unscheduled_and_never_current():
    timeline = [("info", None, None), ("vote", at(0), at(1))]
    assert phases.state_at(timeline[0], at(0)) is PhaseState.UNSCHEDULED
    assert phases.current_phase(timeline, at(0.5)) == Span("vote", at(0), at(1))


def test_current_phase_hands_over_at_the_boundary():
    assert phases.current_phase(TIMELINE, at(9.99)).key == "info"
    assert phases.current_phase(TIMELINE, at(10)).key == "vote"


def test_no_current_phase_before_between_and_after():
    assert phases.current_phase(TIMELINE, at(-1)) is None
    assert phases.current_phase(TIMELINE, at(25)) is None
    assert phases.current_phase(TIMELINE, at(40)) is None


def test_next_phase_is_the_soonest_upcoming():
    assert phases.next_phase(TIMELINE, at(-1)).key == "info"
    assert phases.next_phase(TIMELINE, at(5)).key == "vote"
    assert phases.next_phase(TIMELINE, at(25)).key == "results"
    assert phases.next_phase(TIMELINE, at(30)) is None


def test_states_in_order():
    states = [state for _span, state in phases.states_at(TIMELINE, at(15))]
    assert states == [PhaseState.FINISHED, PhaseState.ACTIVE, PhaseState.UPCOMING]


def test_timeline_state_covers_gaps_between_phases():
    assert phases.timeline_state(TIMELINE, at(-1)) is PhaseState.UPCOMING
    assert phases.timeline_state(TIMELINE, at(0)) is PhaseState.ACTIVE
    assert phases.timeline_state(TIMELINE, at(25)) is PhaseState.ACTIVE
    assert phases.timeline_state(TIMELINE, at(40)) is PhaseState.FINISHED
    assert phases.timeline_state([], at(0)) is PhaseState.UNSCHEDULED
    assert phases.timeline_state([("a", None, None)], at(0)) is PhaseState.UNSCHEDULED


def test_valid_timeline_allows_touching_phases_and_unscheduled_ones():
    assert phases.is_valid_timeline(TIMELINE)
    assert phases.is_valid_timeline([("a", None, None), ("b", at(0), at(1)), ("c", None, None), ("d", at(1), at(2))])


def test_end_must_follow_start():
    problems = phases.timeline_problems([("a", at(1), at(1))])
    assert [(p.code, p.key) for p in problems] == [(ProblemCode.END_NOT_AFTER_START, "a")]


def test_half_scheduled_phase_is_a_problem():
    problems = phases.timeline_problems([("a", at(1), None)])
    assert [(p.code, p.key) for p in problems] == [(ProblemCode.HALF_SCHEDULED, "a")]


def test_overlap_is_reported_with_both_phases():
    problems = phases.timeline_problems([("a", at(0), at(2)), ("b", at(1), at(3))])
    assert [(p.code, p.key, p.other) for p in problems] == [(ProblemCode.OVERLAP, "b", "a")]


def test_phases_must_follow_the_declared_order():
    problems = phases.timeline_problems([("a", at(5), at(6)), ("b", at(0), at(1))])
    assert [(p.code, p.key, p.other) for p in problems] == [(ProblemCode.OUT_OF_ORDER, "b", "a")]


def test_active_features_are_the_current_phase_features():
    features = {"info": frozenset({"read"}), "vote": frozenset({"read", "vote"})}
    assert phases.active_features(TIMELINE, at(5), features) == {"read"}
    assert phases.active_features(TIMELINE, at(10), features) == {"read", "vote"}
    assert phases.active_features(TIMELINE, at(25), features) == frozenset()
    assert phases.active_features(TIMELINE, at(35), features) == frozenset()  # results declares nothing here


# --- Properties ----------------------------------------------------------------------------------------------------
offsets = st.integers(min_value=0, max_value=10_000)


@st.composite
def valid_timelines(draw: st.DrawFn) -> list[Span]:
    """Consecutive phases with gaps of zero or more minutes; some phases left unscheduled."""
    count = draw(st.integers(min_value=0, max_value=6))
    cursor = T0 + dt.timedelta(minutes=draw(offsets))
    spans = []
    for index in range(count):
        if draw(st.booleans()) and index:
            spans.append(Span(f"p{index}", None, None))
            continue
        start = cursor + dt.timedelta(minutes=draw(st.integers(min_value=0, max_value=500)))
        end = start + dt.timedelta(minutes=draw(st.integers(min_value=1, max_value=500)))
        spans.append(Span(f"p{index}", start, end))
        cursor = end
    return spans


moments = st.integers(min_value=-100, max_value=15_000).map(lambda minutes: T0 + dt.timedelta(minutes=minutes))


@given(valid_timelines(), moments)
def test_on_a_valid_timeline_at_most_one_phase_is_active(timeline, now):
    assert phases.is_valid_timeline(timeline)
    active = [span for span, state in phases.states_at(timeline, now) if state is PhaseState.ACTIVE]
    assert len(active) <= 1
    assert phases.current_phase(timeline, now) == (active[0] if active else None)


@given(valid_timelines(), moments)
def test_states_never_go_backwards_in_declared_order(timeline, now):
    order = {PhaseState.FINISHED: 0, PhaseState.ACTIVE: 1, PhaseState.UPCOMING: 2}
    ranks = [order[state] for _span, state in phases.states_at(timeline, now) if state in order]
    assert ranks == sorted(ranks)


@given(valid_timelines(), moments)
def test_next_phase_starts_after_now_and_before_every_other_upcoming(timeline, now):
    upcoming = phases.next_phase(timeline, now)
    if upcoming is None:
        assert all(state is not PhaseState.UPCOMING for _span, state in phases.states_at(timeline, now))
    else:
        assert upcoming.starts_at > now
        assert all(
            upcoming.starts_at <= span.starts_at
            for span, state in phases.states_at(timeline, now)
            if state is PhaseState.UPCOMING
        )


@given(valid_timelines(), moments)
def test_timeline_is_active_exactly_between_first_start_and_last_end(timeline, now):
    scheduled = [span for span in timeline if span.starts_at]
    state = phases.timeline_state(timeline, now)
    if not scheduled:
        assert state is PhaseState.UNSCHEDULED
    else:
        inside = scheduled[0].starts_at <= now < scheduled[-1].ends_at
        assert (state is PhaseState.ACTIVE) == inside
        if phases.current_phase(timeline, now) is not None:
            assert state is PhaseState.ACTIVE


@given(valid_timelines(), st.integers(min_value=1, max_value=5))
def test_shifting_one_phase_into_its_predecessor_is_always_caught(timeline, minutes):
    scheduled = [index for index, span in enumerate(timeline) if span.starts_at]
    if len(scheduled) < 2:
        return
    earlier, later = timeline[scheduled[-2]], timeline[scheduled[-1]]
    moved = later._replace(starts_at=earlier.ends_at - dt.timedelta(minutes=minutes))
    if moved.starts_at >= moved.ends_at:
        return
    broken = [*timeline[: scheduled[-1]], moved, *timeline[scheduled[-1] + 1 :]]
    assert not phases.is_valid_timeline(broken)


@given(st.lists(st.tuples(offsets, st.integers(min_value=-50, max_value=500)), max_size=5), moments)
def test_any_timeline_gets_an_answer_and_features_come_only_from_active_phases(raw, now):
    timeline = [
        Span(f"p{index}", T0 + dt.timedelta(minutes=start), T0 + dt.timedelta(minutes=start + length))
        for index, (start, length) in enumerate(raw)
    ]
    phases.timeline_problems(timeline)
    features = {span.key: frozenset({span.key}) for span in timeline}
    expected = {span.key for span, state in phases.states_at(timeline, now) if state is PhaseState.ACTIVE}
    assert phases.active_features(timeline, now, features) == expected


def test_phases_module_imports_no_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(phases.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0] in {"django", "veche"}]
