"""The survey engine (no database): answers are checked per kind, results are summed correctly."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from veche.consultations.survey_engine import results
from veche.consultations.survey_engine.geometry import area_from_geojson
from veche.consultations.survey_engine.spec import Kind, QuestionSpec
from veche.consultations.survey_engine.validate import AnswerError, validate_answer, validate_answers

OPTIONS = (11, 12, 13, 14)
SQUARE = area_from_geojson(
    {"type": "Polygon", "coordinates": [[[14.0, 50.0], [15.0, 50.0], [15.0, 51.0], [14.0, 51.0], [14.0, 50.0]]]}
)


def spec(kind, **fields):
    fields.setdefault("option_ids", OPTIONS)
    return QuestionSpec(id=1, kind=kind, **fields)


def code(question, value):
    with pytest.raises(AnswerError) as caught:
        validate_answer(question, value)
    return caught.value.code


@given(st.permutations(OPTIONS))
def test_any_permutation_is_a_valid_ranking(order):
    ranks = {option: rank for rank, option in enumerate(order, start=1)}
    assert validate_answer(spec(Kind.RANKING), ranks) == tuple(order)


@given(st.dictionaries(st.sampled_from(OPTIONS), st.one_of(st.none(), st.integers(-2, 7)), min_size=1))
def test_a_ranking_that_is_not_a_permutation_is_refused(ranks):
    given_ranks = [rank for rank in ranks.values() if rank is not None]
    assume(given_ranks)
    assume(not (len(ranks) == len(OPTIONS) and sorted(given_ranks) == [1, 2, 3, 4]))
    assert code(spec(Kind.RANKING), ranks) in {"ranking_incomplete", "ranking_duplicate"}


def test_ranking_messages_name_the_problem():
    assert code(spec(Kind.RANKING), {11: 1, 12: 1, 13: 2, 14: 3}) == "ranking_duplicate"
    assert code(spec(Kind.RANKING), {11: 1, 12: 2}) == "ranking_incomplete"
    assert code(spec(Kind.RANKING), {99: 1}) == "unknown_option"
    assert validate_answer(spec(Kind.RANKING), {11: None, 12: ""}) is None
    assert code(spec(Kind.RANKING, required=True), {}) == "required"


@given(st.integers(-20, 20), st.integers(0, 10), st.integers(0, 10))
def test_scale_accepts_exactly_its_range(value, low, high):
    assume(low < high)
    question = spec(Kind.SCALE, scale_min=low, scale_max=high)
    if low <= value <= high:
        assert validate_answer(question, value) == value
    else:
        assert code(question, value) == "out_of_range"


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_scale_refuses_fractions_and_non_numbers(value):
    assume(not (math.isfinite(value) and value == int(value)))
    assert code(spec(Kind.SCALE), value) == "not_a_whole_number"


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_a_map_point_counts_only_inside_the_area(lat, lon):
    question = spec(Kind.MAP_POINT, area=SQUARE)
    inside = 50.0 < lat < 51.0 and 14.0 < lon < 15.0
    outside = lat < 50.0 or lat > 51.0 or lon < 14.0 or lon > 15.0
    if inside:
        assert validate_answer(question, (lat, lon)) == (round(lat, 6), round(lon, 6))
    elif outside:
        assert code(question, (lat, lon)) == "outside_area"


def test_map_points_are_positions_on_earth_and_holes_are_outside():
    assert code(spec(Kind.MAP_POINT), (91, 0)) == "bad_point"
    assert code(spec(Kind.MAP_POINT), ("x", "y")) == "bad_point"
    assert code(spec(Kind.MAP_POINT), (float("nan"), 1)) == "bad_point"
    assert validate_answer(spec(Kind.MAP_POINT), (10, 10)) == (10.0, 10.0)
    donut = area_from_geojson(
        {
            "type": "Polygon",
            "coordinates": [
                [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
                [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
            ],
        }
    )
    assert donut.contains(2, 2) and not donut.contains(5, 5)
    assert area_from_geojson({"type": "Point", "coordinates": [14, 50]}) is None
    assert area_from_geojson("nonsense") is None


@given(st.lists(st.sampled_from(OPTIONS + (99,)), max_size=6), st.one_of(st.none(), st.integers(1, 4)))
def test_multiple_choice(chosen, limit):
    question = spec(Kind.MULTIPLE, max_choices=limit)
    if not chosen:
        assert validate_answer(question, chosen) is None
    elif 99 in chosen:
        assert code(question, chosen) == "unknown_option"
    elif len(set(chosen)) != len(chosen):
        assert code(question, chosen) == "duplicate_choice"
    elif limit is not None and len(chosen) > limit:
        assert code(question, chosen) == "too_many_choices"
    else:
        assert validate_answer(question, chosen) == tuple(option for option in OPTIONS if option in chosen)


def test_single_choice_and_text():
    assert validate_answer(spec(Kind.SINGLE), 12) == 12
    assert code(spec(Kind.SINGLE), 99) == "unknown_option"
    assert code(spec(Kind.SINGLE), True) == "unknown_option"
    assert validate_answer(spec(Kind.SHORT_TEXT), "  hi  ") == "hi"
    assert code(spec(Kind.SHORT_TEXT), "x" * 301) == "too_long"
    assert validate_answer(spec(Kind.LONG_TEXT), "x" * 5000)
    assert code(spec(Kind.LONG_TEXT, required=True), "   ") == "required"


@given(st.sampled_from(list(Kind)), st.booleans())
def test_unanswered_questions_are_refused_exactly_when_required(kind, required):
    question = spec(kind, required=required)
    answers, errors = validate_answers([question], {})
    assert answers == {}
    assert (errors[1].code == "required") if required else errors == {}


def test_choice_counts_and_percentages():
    summary = results.choice_counts([1, 2, 3], [[1], [1, 2], [], [3], [1, 99]])
    assert summary["answered"] == 4
    assert [(row["id"], row["count"], row["percent"]) for row in summary["options"]] == [
        (1, 3, 75.0),
        (2, 1, 25.0),
        (3, 1, 25.0),
    ]
    assert results.choice_counts([1], [])["options"][0]["percent"] == 0.0


def test_scale_summary():
    summary = results.scale_summary(1, 5, [1, 2, 2, 5, 9])
    assert summary["answered"] == 4
    assert summary["mean"] == 2.5
    assert summary["median"] == 2.0
    assert [step["count"] for step in summary["steps"]] == [1, 2, 0, 0, 1]
    assert results.scale_summary(0, 10, [])["mean"] is None


def test_ranking_summary_average_rank_and_borda():
    orders = [(1, 2, 3), (1, 3, 2), (2, 1, 3), (1, 2)]  # the last is not a permutation: ignored
    summary = results.ranking_summary([1, 2, 3], orders)
    assert summary["answered"] == 3
    best = summary["options"][0]
    assert best["id"] == 1 and best["average_rank"] == pytest.approx(4 / 3, abs=0.01)
    assert best["borda"] == 2 + 2 + 1 and best["first"] == 2
    assert [row["id"] for row in summary["options"]] == [1, 2, 3]


@given(st.lists(st.permutations([1, 2, 3, 4]), min_size=1, max_size=30))
def test_borda_points_sum_to_the_total_available(orders):
    summary = results.ranking_summary([1, 2, 3, 4], orders)
    assert sum(row["borda"] for row in summary["options"]) == len(orders) * (3 + 2 + 1 + 0)
    assert sum(row["average_rank"] for row in summary["options"]) == pytest.approx(len(orders) and 10, abs=0.05)


def test_points_summary():
    summary = results.points_summary([(50.0, 14.0), (51.0, 15.0)])
    assert summary["centre"] == [50.5, 14.5]
    assert summary["bbox"] == [50.0, 14.0, 51.0, 15.0]
    assert results.points_summary([])["points"] == []


@given(st.lists(st.integers(0, 40), min_size=1, max_size=8))
def test_small_counts_never_show_and_cannot_be_derived(counts):
    rows = results.suppressed_counts([(str(index), count) for index, count in enumerate(counts)])
    for row, count in zip(rows, counts, strict=True):
        if 0 < count < 5:
            assert row["suppressed"] and row["count"] is None and row["reason"] == "small"
        if not row["suppressed"]:
            assert row["count"] == count
    hidden = [row for row in rows if row["suppressed"]]
    nonzero = [count for count in counts if count]
    assert len(hidden) != 1 or len(nonzero) == 1


ANSWERS = {
    Kind.SINGLE: st.sampled_from(OPTIONS),
    Kind.MULTIPLE: st.lists(st.sampled_from(OPTIONS), unique=True, max_size=4),
    Kind.SCALE: st.integers(1, 5),
    Kind.SHORT_TEXT: st.text(max_size=300),
    Kind.LONG_TEXT: st.text(max_size=400),
    Kind.RANKING: st.permutations(OPTIONS),
    Kind.MAP_POINT: st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
}


@given(st.data(), st.sampled_from(list(Kind)))
def test_a_normalised_answer_passes_again_unchanged(data, kind):
    question = spec(kind)
    value = data.draw(ANSWERS[kind])
    normalised = validate_answer(question, value)
    assert validate_answer(question, normalised) == normalised
